"""Tiles: p50 / p95 / p99 and requests per second for 500 uncached tiles at 1 and 16
concurrent clients, from our site (gunicorn, production settings, the permission check and
the Redis cache in the path) and from TiTiler serving the same COG in the same run; then
the same tiles again from our Redis cache (a second view). Prints the ratios to TiTiler.

TiTiler (titiler.core, uvicorn, one worker: PERFORMANCE.md's multi-worker trap) lives in its
own environment, var/titiler-venv, which scripts/bench.sh makes; it is never a dependency of
the site. Both use the same rio-tiler version (printed). The COG is 4096 × 4096 float32 with
512 px blocks and overviews, written by the site's own writer, as in PERFORMANCE.md.
"""

from __future__ import annotations

import http.client
import math
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
BENCH_CACHE = "redis://127.0.0.1:6379/12"
os.environ["CACHE_URL"] = BENCH_CACHE

import django  # noqa: E402

django.setup()

from django.contrib.gis.geos import MultiPolygon, Polygon  # noqa: E402
from django.core.cache import cache  # noqa: E402

from bench import _servers  # noqa: E402
from bench._report import record  # noqa: E402
from bench._servers import wait_for_port  # noqa: E402
from core.models import Job, Region  # noqa: E402
from potential_map import rasters  # noqa: E402
from potential_map.models import MapLayer  # noqa: E402

SIDE = 4096
RESOLUTION_M = 100.0
CRS = 32654  # UTM 54N: Gunma
WEST_M, NORTH_M = 200_000.0, 4_200_000.0
TILES = 500
OURS_PORT, TITILER_PORT = 8731, 8732
TITILER_VENV = ROOT / "var" / "titiler-venv"
LOW, HIGH = 1.0, 3.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def write_cog(path: Path) -> rasters.Grid:
    y, x = np.mgrid[0:SIDE, 0:SIDE].astype(np.float32)
    field = 2.0 + 0.8 * np.sin(x / 300) * np.cos(y / 410)
    grid = rasters.Grid(
        CRS, RESOLUTION_M, WEST_M, NORTH_M, SIDE, SIDE, np.ones((SIDE, SIDE), dtype=bool)
    )
    rasters.write_cog(path, [field.astype(np.float32)], grid, ("p50",))
    return grid


def tiles_over(extent_lonlat: tuple[float, float, float, float]) -> list[tuple[int, int, int]]:
    """TILES distinct web-mercator tiles inside the COG, spread over zooms 9–13."""
    west, south, east, north = extent_lonlat

    def tile(lon: float, lat: float, z: int) -> tuple[int, int]:
        n = 2**z
        return (
            int((lon + 180) / 360 * n),
            int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n),
        )

    chosen: list[tuple[int, int, int]] = []
    zooms = (9, 10, 11, 12, 13)
    for index, z in enumerate(zooms):
        x0, y0 = tile(west, north, z)
        x1, y1 = tile(east, south, z)
        inside = [(z, x, y) for x in range(x0 + 1, x1) for y in range(y0 + 1, y1)]
        rng = np.random.default_rng(z)
        rng.shuffle(inside)
        # an even share of what is still needed; a low zoom with few tiles leaves more
        share = (TILES - len(chosen)) // (len(zooms) - index)
        chosen.extend(inside[:share])
    return chosen


def run(port: int, paths: list[str], clients: int) -> dict[str, Any]:
    """Fetch every path once, split across `clients` keep-alive connections."""
    latencies: list[float] = []
    errors = [0]
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    queue = list(paths)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not queue:
                    break
                path = queue.pop()
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                status = str(response.status)
            except OSError as error:  # a reset connection is an error, then a new connection
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                if status not in ("200", "204"):
                    errors[0] += 1
        connection.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    return {
        "p50": percentile(latencies, 0.5) * 1e3,
        "p95": percentile(latencies, 0.95) * 1e3,
        "p99": percentile(latencies, 0.99) * 1e3,
        "rps": len(latencies) / wall,
        "errors": errors[0],
        "statuses": statuses,
    }


def main() -> None:
    if not (TITILER_VENV / "bin" / "uvicorn").exists():
        sys.exit("var/titiler-venv is missing: run `make bench` (scripts/bench.sh makes it)")
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    cog = folder / "tiles-4096.tif"
    grid = write_cog(cog)
    extent = grid.extent_wkt_4326()
    from django.contrib.gis.geos import GEOSGeometry

    outline = GEOSGeometry(extent, srid=4326)
    region, _ = Region.objects.update_or_create(
        code="bench-tiles",
        defaults={
            "name_en": "Tile benchmark",
            "boundary": MultiPolygon(Polygon(outline.coords[0]), srid=4326),
            "raster_crs_epsg": CRS,
            "raster_resolution_m": RESOLUTION_M,
            "currency": "JPY",
            "published": True,
        },
    )
    MapLayer.objects.filter(region=region).delete()
    layer = MapLayer.objects.create(
        region=region,
        kind="conductivity",
        version=1,
        is_current=True,
        published=True,
        units="W/(m·K)",
        method="benchmark field",
        bands=["p50"],
        cog_path=str(cog),
        value_min=LOW,
        value_max=HIGH,
        colormap="viridis",
        crs_epsg=CRS,
        resolution_m=RESOLUTION_M,
        width=SIDE,
        height=SIDE,
        extent=outline,
        job=Job.objects.create(kind="recompute", region=region),
    )
    tiles = tiles_over(outline.extent)
    ours_paths = [f"/tiles/{layer.pk}/{layer.version}/{z}/{x}/{y}.png" for z, x, y in tiles]
    titiler_paths = [
        f"/cog/tiles/WebMercatorQuad/{z}/{x}/{y}.png?url={cog}&bidx=1"
        f"&rescale={LOW},{HIGH}&colormap_name=viridis"
        for z, x, y in tiles
    ]

    titiler_command = [
        str(TITILER_VENV / "bin" / "uvicorn"),
        "bench.titiler_app:app",
        f"--port={TITILER_PORT}",
        "--workers=1",
        "--log-level=warning",
        "--no-access-log",
    ]
    servers = [
        subprocess.Popen(
            titiler_command,
            cwd=ROOT,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
            start_new_session=True,
        )
    ]
    try:
        servers.append(
            _servers.start_gunicorn(
                OURS_PORT,
                _servers.production_environment(BENCH_CACHE, "redis://127.0.0.1:6379/14"),
            )
        )
        wait_for_port(TITILER_PORT)
        # One warm-up request each: imports and the first file open are not the tile's cost.
        run(OURS_PORT, ours_paths[:1], 1)
        run(TITILER_PORT, titiler_paths[:1], 1)
        results: dict[tuple[str, int], dict[str, Any]] = {}
        for clients in (1, 16):
            cache.clear()  # uncached: every tile rendered from the COG
            results[("ours", clients)] = run(OURS_PORT, ours_paths, clients)
            results[("titiler", clients)] = run(TITILER_PORT, titiler_paths, clients)
            results[("ours, cached", clients)] = run(OURS_PORT, ours_paths, clients)
    finally:
        for server in servers:
            _servers.stop(server)
        layer.job.delete()
        region.delete()

    import rio_tiler

    print(
        f"{TILES} tiles of a {SIDE}² float32 COG, zooms 9–13; rio-tiler {rio_tiler.__version__} "
        "in both; ours: gunicorn as config/gunicorn.conf.py (production settings); "
        "TiTiler: uvicorn 1 worker"
    )
    print(
        f"{'server':16} {'clients':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'req/s':>7} {'errors':>6}"
    )
    for (name, clients), r in results.items():
        print(
            f"{name:16} {clients:7d} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} "
            f"{r['rps']:7.1f} {r['errors']:6.0f}  {r['statuses']}"
        )
        if name == "titiler":
            record("tile", f"TiTiler p50, {clients} client(s)", r["p50"], "ms")
        goal = None if name == "titiler" else "== 0"  # TiTiler's 500s are its own
        record("tile", f"{name} errors, {clients} client(s)", r["errors"], "", goal=goal)
    for clients in (1, 16):
        ours, titiler = results[("ours", clients)], results[("titiler", clients)]
        print(
            f"uncached, {clients} client(s): p50 ratio ours/TiTiler "
            f"{ours['p50'] / titiler['p50']:.2f} (goal ≤ 1), throughput ratio "
            f"{ours['rps'] / titiler['rps']:.2f} (goal ≥ 1)"
        )
        for name in ("ours", "ours, cached"):
            r = results[(name, clients)]
            for metric, unit, goal in (("p50", "ms", "ratio <= 1"), ("rps", "req/s", "ratio >= 1")):
                record(
                    "tile",
                    f"{name} {metric}, {clients} client(s)",
                    r[metric],
                    unit,
                    baseline="TiTiler",
                    baseline_value=titiler[metric],
                    goal=goal if name == "ours" else None,
                )
    print(f"median of the p50s: {statistics.median(r['p50'] for r in results.values()):.1f} ms")


if __name__ == "__main__":
    main()
