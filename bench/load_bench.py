"""Load: 50 map visitors for 5 minutes on loopback against the site as production serves it
(gunicorn with config/gunicorn.conf.py, config.settings.production, a Celery worker for the
closed-loop estimates), mixing tiles, borehole clusters and GeoJSON, point queries and design
estimates (bench/locustfile.py says how). Prints, per request type and overall: requests,
errors, requests per second, p50 and p99; goal 0 errors and p99 ≤ 500 ms (printed, not
asserted). LOAD_USERS, LOAD_SECONDS and LOAD_SPAWN_RATE change the run (e.g. LOAD_USERS=10
LOAD_SECONDS=20 while developing).

The data are the development database's regions with their computed maps; a region missing or
without current maps is loaded from fixtures/ and computed first (minutes), else reused. The
rate limits of the point query and the estimates are raised through their environment
variables for the server (every visitor is 127.0.0.1); a 429 would still be counted apart.
The tile cache (Redis db 12) is emptied first: the run starts cold and warms as visitors pan.
Estimates and their jobs made by the run are deleted at the end.

The load generator runs on the same 2 cores as the server, the worker and PostgreSQL: the
figures are what this machine does with everything on it, not the server alone.
"""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
BENCH_CACHE = "redis://127.0.0.1:6379/12"
BENCH_BROKER = "redis://127.0.0.1:6379/14"
os.environ["CELERY_BROKER_URL"] = BENCH_BROKER  # the worker's ping goes to the bench broker

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import redis  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.contrib.gis.geos import Point  # noqa: E402
from django.db.models import Count  # noqa: E402

from bench import _servers  # noqa: E402
from bench._report import record  # noqa: E402
from bench._webmap import bbox_of_view, tile_of  # noqa: E402
from core.models import Job, Region  # noqa: E402
from core.worker_process import start_worker, stop_worker  # noqa: E402
from estimates.models import Estimate  # noqa: E402
from potential_map import rasters  # noqa: E402
from potential_map import tasks as map_tasks  # noqa: E402
from potential_map.models import MapLayer  # noqa: E402
from region_fixtures.services import available_codes, load_region_fixture  # noqa: E402
from wells.models import Borehole  # noqa: E402

USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "300"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "10"))  # users started per second
PORT = 8733
P99_GOAL_MS = 500
CLOSED_LOOP_SITES = 20
ALONE_REQUESTS = 9  # per request type, before the load: the baseline
SITES_PER_REGION = 300
FOLDER = ROOT / "var" / "bench"
# Far above what the run sends: the bench measures the server, not its rate limits.
RATE_LIMITS_RAISED = {
    f"RATE_LIMIT_{scope}": "1000000/min"
    for scope in (
        "POINT_USER",
        "POINT_ADDRESS",
        "ESTIMATE_USER",
        "ESTIMATE_ADDRESS",
        "UPLOAD_USER",
        "UPLOAD_ADDRESS",
    )
}
ANONYMOUS = AnonymousUser()


def ensure_regions() -> list[str]:
    """Every fixture region with its current maps; what had to be loaded is said."""
    for code in available_codes():
        region = Region.objects.filter(code=code).first()
        if region and MapLayer.objects.filter(region=region, is_current=True).exists():
            continue
        print(f"load: region {code} missing or without maps: loading and computing it")
        load_region_fixture(code)
        region = Region.objects.get(code=code)
        map_tasks.recompute(Job.objects.create(kind="recompute", region=region))
    return available_codes()


def plan(codes: list[str]) -> dict[str, Any]:
    """What the visitors ask for: each published region's current published layers, its
    places near its published boreholes to look at, and those where the map has an aquifer
    (for open-loop estimates); a small pool of places for the closed-loop estimates."""
    regions = []
    for region in Region.objects.visible_to(ANONYMOUS).filter(code__in=codes).order_by("code"):
        layers = MapLayer.objects.visible_to(ANONYMOUS).filter(region=region, is_current=True)
        boreholes = [
            (p.x, p.y)
            for p in Borehole.objects.visible_to(ANONYMOUS)
            .filter(region=region)
            .exclude(location=None)
            .values_list("location", flat=True)
        ]
        if not layers or not boreholes:
            continue
        # places near the boreholes, inside the outline (a coastal one may be off it: a 404)
        rng = random.Random(region.code)
        sites = []
        for _ in range(SITES_PER_REGION):
            lon, lat = rng.choice(boreholes)
            lon, lat = lon + rng.uniform(-0.01, 0.01), lat + rng.uniform(-0.01, 0.01)
            if region.boundary.contains(Point(lon, lat, srid=4326)):
                sites.append((round(lon, 6), round(lat, 6)))
        flow = layers.filter(kind="open_loop_flow").first()
        open_loop = []
        if flow is not None:
            lon, lat = np.array(sites).T
            metric = rasters.points_to_metric(lon, lat, flow.crs_epsg)
            for (x, y), site in zip(metric, sites, strict=True):
                value = rasters.sample(flow.cog_path, x, y)[0]
                if math.isfinite(value) and value > 0:
                    open_loop.append(site)
        regions.append(
            {
                "code": region.code,
                "layers": [
                    {"id": layer.pk, "version": layer.version, "bands": layer.bands}
                    for layer in layers
                ],
                "leading": [layer.pk for layer in layers if layer.kind == region.leading_layer],
                "sites": sites,
                "open_loop_points": open_loop,
            }
        )
    if not any(r["open_loop_points"] for r in regions):
        sys.exit("load: no published borehole stands on an aquifer: no open-loop estimate")
    every_site = [site for r in regions for site in r["sites"]]
    closed = random.Random(20261123).sample(every_site, min(CLOSED_LOOP_SITES, len(every_site)))
    return {"regions": regions, "closed_loop_sites": closed}


def percentile(histogram: dict[int, int], q: float) -> float:
    """q-quantile of locust's response-time histogram {rounded ms: count}."""
    total = sum(histogram.values())
    if not total:
        return math.nan
    rank, seen = q * (total - 1), 0
    for milliseconds in sorted(histogram):
        seen += histogram[milliseconds]
        if seen > rank:
            return float(milliseconds)
    return float(max(histogram))


def summarise(entries: list[dict[str, Any]], seconds: float) -> list[dict[str, Any]]:
    """One row per request type, then "all HTTP requests": neither the JOB row (not a request)
    nor the 429s (refused by a rate limit, counted apart) are in it."""
    rows = []
    overall: dict[int, int] = {}
    for entry in sorted(entries, key=lambda e: (e["method"] == "JOB", e["name"])):
        histogram = {int(k): v for k, v in entry["response_times"].items()}
        rows.append(
            {
                "name": entry["name"],
                "kind": entry["method"],
                "requests": entry["num_requests"],
                "errors": entry["num_failures"],
                "rps": entry["num_requests"] / seconds,
                "p50": percentile(histogram, 0.5),
                "p99": percentile(histogram, 0.99),
            }
        )
        if entry["method"] != "JOB" and not entry["name"].endswith(" 429"):
            for milliseconds, count in histogram.items():
                overall[milliseconds] = overall.get(milliseconds, 0) + count
    http = [r for r in rows if r["kind"] != "JOB" and not r["name"].endswith(" 429")]
    rows.append(
        {
            "name": "all HTTP requests",
            "kind": "",
            "requests": sum(r["requests"] for r in http),
            "errors": sum(r["errors"] for r in http),
            "rps": sum(r["requests"] for r in http) / seconds,
            "p50": percentile(overall, 0.5),
            "p99": percentile(overall, 0.99),
        }
    )
    return rows


def warm_up(port: int, plan_: dict[str, Any]) -> None:
    """A few requests per gunicorn worker (imports, first file opens), not counted."""
    import http.client

    region = next(r for r in plan_["regions"] if r["open_loop_points"])
    lon, lat = region["open_loop_points"][0]
    body = json.dumps(
        {
            "lat": lat,
            "lon": lon,
            "inputs": {
                "loads": "use",
                "building_use": "office",
                "floor_area_m2": 500,
                "system": "open_loop",
            },
        }
    )
    for _ in range(4):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for method, path, payload in (
            ("GET", f"/api/point?lat={lat}&lon={lon}", None),
            ("GET", "/tiles/{id}/{version}/9/0/0.png".format(**region["layers"][0]), None),
            ("POST", "/api/estimates", body),
        ):
            headers = {"Content-Type": "application/json"} if payload else {}
            connection.request(method, path, body=payload, headers=headers)
            connection.getresponse().read()
        connection.close()


def alone(port: int, plan_: dict[str, Any]) -> dict[str, float]:
    """Median ms of each request type asked one at a time on the idle server, just before the
    load (same server, same run): the baseline of the p50s under load."""
    import http.client

    rng = random.Random(7)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    samples: dict[str, list[float]] = {}

    def timed(name: str, method: str, path: str, body: dict[str, Any] | None = None) -> None:
        headers = {"Content-Type": "application/json"} if body else {}
        start = time.perf_counter()
        connection.request(method, path, json.dumps(body) if body else None, headers)
        connection.getresponse().read()
        samples.setdefault(name, []).append((time.perf_counter() - start) * 1e3)

    for n in range(ALONE_REQUESTS):
        region = plan_["regions"][n % len(plan_["regions"])]
        lon, lat = rng.choice(region["sites"])
        z = rng.randint(7, 13)
        x, y = tile_of(lon, lat, z)
        layer = rng.choice(region["layers"])
        bbox = bbox_of_view(lon, lat, z)
        timed("tile", "GET", f"/tiles/{layer['id']}/{layer['version']}/{z}/{x}/{y}.png")
        timed("point query", "GET", f"/api/point?lat={lat}&lon={lon}")
        timed("borehole clusters", "GET", f"/api/boreholes/clusters/?zoom={z}&in_bbox={bbox}")
        timed("borehole GeoJSON", "GET", f"/api/boreholes/?in_bbox={bbox}")
        aquifer = [r for r in plan_["regions"] if r["open_loop_points"]]
        lon, lat = rng.choice(aquifer[n % len(aquifer)]["open_loop_points"])
        inputs = {"loads": "use", "building_use": "office", "floor_area_m2": 400 + n}
        body = {"lat": lat, "lon": lon, "inputs": {**inputs, "system": "open_loop"}}
        timed("open-loop estimate", "POST", "/api/estimates", body)
    connection.close()
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    codes = ensure_regions()
    plan_ = plan(codes)
    print(
        f"load: plan of {sum(len(r['sites']) for r in plan_['regions'])} places in "
        f"{len(plan_['regions'])} regions, {sum(len(r['layers']) for r in plan_['regions'])} "
        f"layers ({time.monotonic() - started:.0f} s)"
    )
    plan_path = FOLDER / "load-plan.json"
    plan_path.write_text(json.dumps(plan_), encoding="utf-8")
    for url in (BENCH_CACHE, BENCH_BROKER):
        redis.Redis.from_url(url).flushdb()
    last_estimate = Estimate.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    environment = _servers.production_environment(
        BENCH_CACHE, BENCH_BROKER, DJANGO_NUM_PROXIES="0", **RATE_LIMITS_RAISED
    )
    worker_log = open(FOLDER / "load-worker.log", "wb")  # noqa: SIM115 - closed in finally
    server_log = open(FOLDER / "load-gunicorn.log", "wb")  # noqa: SIM115 - closed in finally
    # The worker yields the CPU to the web server (nice 10), as production runs it: a closed-
    # loop sizing is seconds of CPU that no visitor waits on, a point query is a visitor.
    worker = start_worker(
        f"bench-load-{uuid.uuid4().hex[:6]}@localhost", environment, worker_log, niceness=10
    )
    server = None
    try:
        server = _servers.start_gunicorn(PORT, environment, server_log)
        warm_up(PORT, plan_)
        baseline = alone(PORT, plan_)
        prefix = FOLDER / "load"
        command = [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            f"--users={USERS}",
            f"--spawn-rate={SPAWN_RATE}",
            f"--run-time={SECONDS}s",
            f"--host=http://127.0.0.1:{PORT}",
            f"--csv={prefix}",
            f"--json-file={prefix}",
            "--only-summary",
            "--loglevel=WARNING",
            "--stop-timeout=10",
        ]
        print(f"load: {USERS} users for {SECONDS} s (locust log: var/bench/load-locust.log)")
        with open(FOLDER / "load-locust.log", "wb") as log:
            finished = subprocess.run(
                command,
                cwd=ROOT,
                env={**os.environ, "LOAD_PLAN": str(plan_path)},
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=SECONDS + 120,
            )
        if finished.returncode not in (0, 1):  # 1: some requests failed, reported below
            sys.exit(f"locust ended with {finished.returncode}: see var/bench/load-locust.log")
        entries = json.loads(Path(f"{prefix}.json").read_text(encoding="utf-8"))
    finally:
        if server is not None:
            _servers.stop(server)
        stop_worker(worker)
        worker_log.close()
        server_log.close()
        made = Estimate.objects.filter(pk__gt=last_estimate)
        states = {
            f"{row['inputs__system']} {row['state']}": row["count"]
            for row in made.values("inputs__system", "state").annotate(count=Count("pk")).order_by()
        }
        jobs = list(made.exclude(job=None).values_list("job_id", flat=True))
        made.delete()
        Job.objects.filter(pk__in=jobs, kind="estimate").delete()

    # locust's own span: first request to last (the spawn ramp included)
    seconds = max(e["last_request_timestamp"] for e in entries) - min(
        e["start_time"] for e in entries
    )
    rows = summarise(entries, seconds)
    print(
        f"{USERS} users, {SECONDS} s, think time 1–3 s; gunicorn as config/gunicorn.conf.py "
        "(production settings), one solo Celery worker; locust on the same machine"
    )
    print(
        f"{'request type':38} {'requests':>8} {'errors':>6} {'err %':>6} {'req/s':>7} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'alone ms':>8}"
    )
    for row in rows:
        share = 100 * row["errors"] / row["requests"] if row["requests"] else 0.0
        by_itself = f"{baseline[row['name']]:8.0f}" if row["name"] in baseline else ""
        print(
            f"{row['name']:38} {row['requests']:8d} {row['errors']:6d} {share:6.2f} "
            f"{row['rps']:7.1f} {row['p50']:7.0f} {row['p99']:7.0f} {by_itself}"
        )
    print(f"alone: median of {ALONE_REQUESTS} requests one at a time on the idle server, same run")
    print(f"estimates made by the run (system, state: count): {states}")
    limited = sum(r["requests"] for r in rows if r["name"].endswith(" 429"))
    print(f"429 (rate limited, counted apart, not errors): {limited}")
    failures = Path(f"{prefix}_failures.csv")
    if failures.is_file() and len(failures.read_text().splitlines()) > 1:
        print("failures (var/bench/load_failures.csv):")
        for line in failures.read_text().splitlines()[1:11]:
            print(f"  {line}")

    overall = rows[-1]
    met_errors = overall["errors"] == 0
    met_p99 = overall["p99"] <= P99_GOAL_MS
    print(
        f"goal 0 errors: {'met' if met_errors else 'NOT met'} ({overall['errors']}); "
        f"goal p99 ≤ {P99_GOAL_MS} ms: {'met' if met_p99 else 'NOT met'} "
        f"({overall['p99']:.0f} ms overall)"
    )
    slow = [r["name"] for r in rows[:-1] if r["kind"] != "JOB" and r["p99"] > P99_GOAL_MS]
    if slow:
        print(f"request types over {P99_GOAL_MS} ms at p99: {', '.join(slow)}")

    load = f"{USERS} users, {SECONDS} s"
    for row in rows[:-1]:
        if row["kind"] == "JOB":
            record("load", f"{row['name']}: p50", row["p50"], "ms")
            continue
        record(
            "load",
            f"{row['name']}: p50",
            row["p50"],
            "ms",
            baseline="alone" if row["name"] in baseline else None,
            baseline_value=baseline.get(row["name"]),
        )
        record("load", f"{row['name']}: p99", row["p99"], "ms", goal=f"<= {P99_GOAL_MS}")
    record("load", f"all HTTP: errors ({load})", overall["errors"], "", goal="== 0")
    record("load", "all HTTP: req/s", overall["rps"], "req/s")
    record("load", "all HTTP: p50", overall["p50"], "ms")
    record("load", "all HTTP: p99", overall["p99"], "ms", goal=f"<= {P99_GOAL_MS}")


if __name__ == "__main__":
    main()
