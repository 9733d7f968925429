"""Design estimate: the whole closed-loop estimate (map reads, loads, three GHEtool sizings
for P10/P50/P90, economics) against the bare GHEtool sizing calls it makes, measured in the
same run (goal: the estimate ≤ 1.5× its GHEtool calls). Then the reuse path: identical inputs.

Runs on the development database; loads the Gunma fixture and computes its maps first when
they are missing (the first run takes a minute longer).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.contrib.gis.geos import Point  # noqa: E402

from bench._report import record  # noqa: E402
from core.models import Job, Region  # noqa: E402
from estimates import services  # noqa: E402
from estimates.models import Estimate  # noqa: E402
from potential_map import tasks as map_tasks  # noqa: E402
from potential_map.models import MapLayer  # noqa: E402
from region_fixtures.services import load_region_fixture  # noqa: E402

RUNS = 5
YOSHIOKA = Point(139.01028, 36.4475, srid=4326)
INPUTS = {
    "loads": "use",
    "building_use": "detached_house",
    "floor_area_m2": 150,
    "system": "closed_loop",
}


def ensure_gunma() -> Region:
    load_region_fixture("gunma")  # idempotent: files already imported are skipped
    region = Region.objects.get(code="gunma")
    if not MapLayer.objects.filter(region=region, is_current=True).exists():
        map_tasks.recompute(Job.objects.create(kind="recompute", region=region))
    return region


def main() -> None:
    region = ensure_gunma()
    from GHEtool import Borefield  # noqa: F401 - imported once per worker, not per estimate

    totals, ghetool, calls = [], [], []
    for run in range(RUNS + 1):  # the first run warms pygfunction's caches; not counted
        estimate = Estimate(region=region, location=YOSHIOKA, inputs=INPUTS, inputs_hash="bench")
        start = time.perf_counter()
        result = services.compute(estimate, AnonymousUser())
        elapsed = time.perf_counter() - start
        if run:
            totals.append(elapsed)
            ghetool.append(result["timing"]["ghetool_s"])
            calls.append(result["design"]["ghetool_calls"])
    total_s, ghetool_s = statistics.median(totals), statistics.median(ghetool)

    # Reuse: identical inputs on the same map versions answer from the stored estimate.
    stored = services.request_estimate(YOSHIOKA, None, INPUTS, AnonymousUser(), background=False)
    start = time.perf_counter()
    again = services.request_estimate(YOSHIOKA, None, INPUTS, AnonymousUser())
    reuse_ms = (time.perf_counter() - start) * 1e3
    assert again.pk == stored.pk

    print(f"closed-loop estimate at Yoshioka, 150 m² house, median of {RUNS} runs")
    print(f"{'whole estimate':36} {total_s * 1e3:8.0f} ms")
    print(
        f"{'its GHEtool sizing calls':36} {ghetool_s * 1e3:8.0f} ms "
        f"({statistics.median(calls):.0f} calls: P50, P10, P90)"
    )
    print(f"{'everything else':36} {(total_s - ghetool_s) * 1e3:8.0f} ms")
    print(f"ratio estimate / GHEtool: {total_s / ghetool_s:.2f} (goal ≤ 1.5)")
    print(f"identical inputs, reused: {reuse_ms:.0f} ms")
    record(
        "estimate",
        "closed-loop estimate, median",
        total_s * 1e3,
        "ms",
        baseline="its GHEtool calls",
        baseline_value=ghetool_s * 1e3,
        goal="ratio <= 1.5",
    )
    record("estimate", "identical inputs, reused", reuse_ms, "ms")


if __name__ == "__main__":
    main()
