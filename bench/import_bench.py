"""Import throughput: a 100 000-row groundwater-level CSV, validated and written in one batch,
and the time to report 10 000 bad rows. Baseline in the same run: pandas reading the same CSV.

Runs the import service directly (what the Celery task calls) against the development database
in a throw-away region, removed at the end.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

import io  # noqa: E402
import resource  # noqa: E402

import pandas as pd  # noqa: E402
from django.contrib.gis.geos import MultiPolygon, Polygon  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from bench._report import record  # noqa: E402
from core.models import Job, Region  # noqa: E402
from ingest import service  # noqa: E402
from ingest.models import BatchChange, ImportBatch  # noqa: E402
from wells.models import Borehole, GroundwaterLevel  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
BAD_ROWS = 10_000
BOREHOLES = 100


def levels_csv(rows: int, bad_every: int = 0) -> bytes:
    start = datetime(2020, 1, 1, tzinfo=UTC)  # written without a zone: read as Asia/Tokyo
    lines = ["borehole_code,measured_at,depth_to_water,aquifer", ",,m,"]
    for n in range(rows):
        code = f"BENCH-{n % BOREHOLES:03d}"
        when = start + timedelta(hours=n // BOREHOLES)
        depth = "-x" if bad_every and n % bad_every == 0 else f"{10 + (n % 97) / 10:.2f}"
        lines.append(f"{code},{when:%Y-%m-%d %H:%M},{depth},main")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    ring = ((139.0, 36.4), (139.1, 36.4), (139.1, 36.5), (139.0, 36.5), (139.0, 36.4))
    region = Region.objects.create(
        code="bench-import",
        name_en="Bench",
        boundary=MultiPolygon(Polygon(ring), srid=4326),
        raster_crs_epsg=32654,
        currency="JPY",
        time_zone="Asia/Tokyo",
    )
    try:
        Borehole.objects.bulk_create(
            Borehole(region=region, code=f"BENCH-{n:03d}", depth_m=50) for n in range(BOREHOLES)
        )
        good = levels_csv(ROWS)
        start = time.perf_counter()
        pd.read_csv(io.BytesIO(good), dtype=str, keep_default_na=False)
        baseline_s = time.perf_counter() - start

        rss_before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        batch, _job = service.create_batch(region, "auto", SimpleUploadedFile("l.csv", good), None)
        start = time.perf_counter()
        # Not announced: what follows an import (analyses, the region's recompute) is not
        # the import, and a recompute of this throw-away region must not reach a worker.
        service.run_import(batch, announce_it=False)
        import_s = time.perf_counter() - start
        rss_after_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert batch.state == "imported", batch.errors[:3]

        bad = levels_csv(ROWS, bad_every=ROWS // BAD_ROWS)
        batch_bad, _job = service.create_batch(
            region, "auto", SimpleUploadedFile("b.csv", bad), None
        )
        start = time.perf_counter()
        service.run_import(batch_bad, announce_it=False)
        report_s = time.perf_counter() - start
        assert batch_bad.total_errors == BAD_ROWS, batch_bad.total_errors  # 1,000 kept in full

        print(f"import of {ROWS} groundwater levels ({len(good) / 1e6:.1f} MB CSV)")
        print(f"{'what':40} {'s':>8} {'rows/s':>10} {'× baseline':>11}")
        print(
            f"{'pandas read_csv (baseline)':40} {baseline_s:8.2f} {ROWS / baseline_s:10.0f}"
            f" {1.0:11.1f}"
        )
        print(
            f"{'validate + write (goal ≤ 20 s)':40} {import_s:8.2f} {ROWS / import_s:10.0f}"
            f" {import_s / baseline_s:11.1f}"
        )
        print(
            f"{'report 10 000 bad rows':40} {report_s:8.2f} {ROWS / report_s:10.0f}"
            f" {report_s / baseline_s:11.1f}"
        )
        pandas = {"baseline": "pandas read_csv", "baseline_value": baseline_s}
        record("import", f"validate + write {ROWS} rows", import_s, "s", **pandas, goal="<= 20")
        record("import", f"report {BAD_ROWS} bad rows", report_s, "s", **pandas)
        print(
            f"peak resident memory: {rss_after_kb / 1024:.0f} MiB "
            f"(+{(rss_after_kb - rss_before_kb) / 1024:.0f} MiB during the import)"
        )
    finally:
        GroundwaterLevel.objects.filter(region=region).delete()
        Borehole.objects.filter(region=region).delete()
        BatchChange.objects.filter(batch__region=region).delete()
        jobs = list(ImportBatch.objects.filter(region=region).values_list("job_id", flat=True))
        ImportBatch.objects.filter(region=region).delete()
        Job.objects.filter(pk__in=jobs).delete()
        region.delete()


if __name__ == "__main__":
    main()
