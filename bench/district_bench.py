"""Districts compared on a synthetic region of 10⁶ cells and 50 districts: the time to sum
every district's closed- and open-loop supply for three bands (goal ≤ 5 s), against one numpy
pass over the same cells measured in the same run. Pure domain code (no database, no files).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._report import record  # noqa: E402
from planning.domain import supply  # noqa: E402

SIDE = 1000
DISTRICTS = 50
RUNS = 5


def main() -> None:
    rng = np.random.default_rng(7)
    cells = SIDE * SIDE
    # districts as vertical stripes, some cells outside every district
    index = (np.arange(cells) % SIDE) * DISTRICTS // SIDE
    index[rng.uniform(size=cells) < 0.05] = -1
    bands = {b: rng.uniform(10, 60, cells) for b in ("p10", "p50", "p90")}
    cooling = rng.uniform(5, 40, cells)
    heat_rate = np.where(rng.uniform(size=cells) < 0.6, rng.uniform(1e4, 2e5, cells), np.nan)
    spacing = rng.uniform(30, 200, cells)
    constraint = rng.choice([0.0, 1.0, 2.0], size=cells, p=[0.7, 0.2, 0.1])
    scenario = supply.Scenario()

    totals, passes = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        for band in bands.values():
            supply.closed_loop_supply_j(index, DISTRICTS, 1e4, band, cooling, constraint, scenario)
            supply.open_loop_supply_j(
                index,
                DISTRICTS,
                1e4,
                heat_rate,
                spacing,
                constraint,
                180 * 86400.0,
                90 * 86400.0,
                scenario,
            )
        totals.append(time.perf_counter() - start)
        start = time.perf_counter()
        np.multiply(bands["p50"], cooling)
        passes.append(time.perf_counter() - start)
    total, one_pass = statistics.median(totals), statistics.median(passes)
    print(f"{cells:,} cells, {DISTRICTS} districts, closed + open loop, 3 bands (median of {RUNS})")
    print(
        f"all districts: {total:.3f} s (goal ≤ 5 s); one numpy pass: {one_pass * 1e3:.1f} ms; "
        f"ratio {total / one_pass:.0f}×"
    )
    record(
        "district",
        f"{DISTRICTS} districts, 10⁶ cells, 3 bands",
        total,
        "s",
        baseline="one numpy pass",
        baseline_value=one_pass,
        goal="<= 5",
    )


if __name__ == "__main__":
    main()
