"""Map recomputation on a synthetic region of 10⁶ cells with 500 boreholes: seconds per layer
(three bands each where the layer has them), total, peak memory, and G.POT's time as a ratio
to one numpy pass over the same arrays (goal ≤ 2×; whole recompute goal ≤ 30 s).

Pure domain code (no database, no COG writing): the same functions the recompute service
calls, in the same order and with the same band counts.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._report import record  # noqa: E402
from potential_map.domain import closed_loop, open_loop, vdi4640  # noqa: E402
from potential_map.domain.layers import kriged_with_fallback  # noqa: E402

SIDE = 1000  # cells per side: 10⁶ cells
RESOLUTION_M = 100.0
BOREHOLES = 500
REPEATS = 5


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def main() -> None:
    rng = np.random.default_rng(1)
    x, y = np.meshgrid(np.arange(SIDE) * RESOLUTION_M, np.arange(SIDE) * RESOLUTION_M)
    cells = np.column_stack([x.ravel(), y.ravel()])
    points = rng.uniform(0, SIDE * RESOLUTION_M, size=(BOREHOLES, 2))
    values = 2.0 + 0.5 * np.sin(points[:, 0] / 20_000) * np.cos(points[:, 1] / 25_000)
    fallback = np.full(len(cells), 2.0)
    nan = np.full(len(cells), np.nan)

    layers: list[tuple[str, float]] = []
    bands, seconds = timed(
        kriged_with_fallback,
        points,
        values,
        cells,
        fallback,
        fallback * 0.8,
        fallback * 1.2,
        floor=0.1,
    )
    layers.append(("conductivity λ (local kriging, 3 bands)", seconds))
    temperature_points = points[:100]
    temperatures = 288.15 + 0.5 * np.cos(temperature_points[:, 0] / 30_000)
    ground, seconds = timed(
        kriged_with_fallback, temperature_points, temperatures, cells, fallback + 286, nan, nan
    )
    layers.append(("ground temperature (kriging of 100 logs)", seconds))
    depths = 5.0 + 3.0 * np.sin(points[:, 1] / 15_000)
    _depth, seconds = timed(kriged_with_fallback, points, depths, cells, nan, nan, nan, floor=0)
    layers.append(("groundwater depth (kriging, 3 bands)", seconds))

    ground_k = ground.p50
    for mode, limit_k, season_s in (
        ("heating", 271.15, 180 * 86400.0),
        ("cooling", 308.15, 150 * 86400.0),
    ):
        start = time.perf_counter()
        for lam in (bands.p50, bands.p10, bands.p90):
            closed_loop.gpot_heat_rate_w(
                lam,
                2.5e6,
                ground_k,
                limit_k,
                100.0,
                0.075,
                0.1,
                season_s,
                50 * closed_loop.SECONDS_PER_YEAR,
                mode=mode,
            ) / 100.0
        layers.append((f"closed loop {mode} (G.POT, 3 bands)", time.perf_counter() - start))
    for hours in (1800, 2400):
        _v, seconds = timed(vdi4640.class_w_per_m, bands.p50, hours)
        layers.append((f"VDI 4640 {hours} h", seconds))

    start = time.perf_counter()
    transmissivity = np.where(rng.uniform(size=len(cells)) < 0.6, 2e-3, np.nan)
    for band in open_loop.log_normal_bands(transmissivity, 0.5):
        flow, _spacing = open_loop.sustainable_doublet(band, 20.0, 5.0, 0.075, 180 * 86400.0)
        open_loop.heat_rate_w(flow, 5.0)
    layers.append(("open loop flow, power, spacing (3 bands)", time.perf_counter() - start))

    lam = bands.p50
    gpot_times, pass_times, log_times = [], [], []
    for _ in range(REPEATS):
        _q, seconds = timed(
            closed_loop.gpot_heat_rate_w,
            lam,
            2.5e6,
            ground_k,
            271.15,
            100.0,
            0.075,
            0.1,
            180 * 86400.0,
            50 * closed_loop.SECONDS_PER_YEAR,
        )
        gpot_times.append(seconds)
        _p, seconds = timed(np.multiply, lam, ground_k)
        pass_times.append(seconds)
        _l, seconds = timed(np.log, lam)
        log_times.append(seconds)
    gpot_s, pass_s = float(np.median(gpot_times)), float(np.median(pass_times))
    log_s = float(np.median(log_times))

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"recompute of {len(cells):,} cells from {BOREHOLES} boreholes (domain only)")
    print(f"{'layer':44} {'s':>8}")
    for name, seconds in layers:
        print(f"{name:44} {seconds:8.3f}")
    total = sum(s for _n, s in layers)
    print(f"{'total (goal ≤ 30 s)':44} {total:8.3f}")
    per_million_ms = gpot_s * 1e3 / (len(cells) / 1e6)
    print(
        f"G.POT per 10⁶ cells, one band: {per_million_ms:.1f} ms; one numpy multiply pass "
        f"(baseline): {pass_s * 1e3:.1f} ms; ratio {gpot_s / pass_s:.1f}× (goal ≤ 2×); "
        f"the one log it needs alone: {log_s / pass_s:.1f}×"
    )
    print(f"peak resident memory: {peak_mib:.0f} MiB")
    record("recompute", f"whole recompute, {len(cells):,} cells", total, "s", goal="<= 30")
    record(
        "recompute",
        "G.POT per 10⁶ cells, one band",
        per_million_ms,
        "ms",
        baseline="numpy multiply pass",
        baseline_value=pass_s * 1e3 / (len(cells) / 1e6),
        goal="ratio <= 2",
    )
    record("recompute", "peak resident memory", peak_mib, "MiB")


if __name__ == "__main__":
    main()
