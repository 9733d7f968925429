"""Map recomputation on a synthetic region of 10⁶ cells with 500 boreholes: seconds per step,
peak memory, and G.POT's time as a ratio to one numpy pass over the same arrays (goal ≤ 2×).

Pure domain code (no database): the same functions the recompute service calls.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from potential_map.domain import closed_loop, vdi4640  # noqa: E402
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

    steps: list[tuple[str, float]] = []
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
    steps.append(("λ: local kriging with P10/P50/P90", seconds))

    lam = bands.p50
    ground_k = np.full(len(cells), 288.15)
    gpot_times, pass_times = [], []
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
    gpot_s, pass_s = float(np.median(gpot_times)), float(np.median(pass_times))
    steps.append(("G.POT, one band", gpot_s))
    _v, seconds = timed(vdi4640.class_w_per_m, lam, 1800)
    steps.append(("VDI 4640 class", seconds))

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"recompute of {len(cells):,} cells from {BOREHOLES} boreholes (domain only)")
    print(f"{'step':40} {'s':>8}")
    for name, seconds in steps:
        print(f"{name:40} {seconds:8.3f}")
    total = sum(s for _n, s in steps) + 2 * gpot_s  # three G.POT bands per mode
    print(f"{'total (λ, 3 G.POT bands, VDI)':40} {total:8.3f}")
    per_million_ms = gpot_s * 1e3 / (len(cells) / 1e6)
    print(
        f"G.POT per 10⁶ cells: {per_million_ms:.1f} ms; one numpy pass (baseline): "
        f"{pass_s * 1e3:.1f} ms; ratio {gpot_s / pass_s:.1f}× (goal ≤ 2×)"
    )
    print(f"peak resident memory: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
