"""Machine-readable results of the benchmarks, for the one table `make bench` prints at the end.

Every bench prints its own figures as before and, next to each print, calls

    from bench._report import record
    record("tile", "p50, 1 client", 24.1, "ms", baseline="TiTiler", baseline_value=33.0,
           goal="ratio <= 1")

which appends one JSON line to the file named by the environment variable BENCH_RESULTS
(scripts/bench.sh sets it; unset, record() writes nothing and only returns the row). Fields:
bench, metric, value, unit, baseline (its name), baseline_value, ratio (value / baseline_value
when both are given), goal, goal_met. bench/summary.py prints the rows as one table.

`goal` is a short comparison, read by `goal_met()`: "<= 500" or "== 0" compares the value, in
its own unit; "ratio <= 1.5" compares the ratio to the baseline. goal_met is None when there is
no goal or it cannot be read. Benches never assert on time: a missed goal is printed, not raised.

No Django import: pure benches (recompute, district) use it too.
"""

from __future__ import annotations

import json
import math
import operator
import os
from pathlib import Path
from typing import Any

RESULTS_ENV = "BENCH_RESULTS"
_COMPARISONS = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "<": operator.lt,
    ">": operator.gt,
}


def goal_met(goal: str | None, value: float, ratio: float | None) -> bool | None:
    """Whether `value` (or `ratio`, for "ratio ..." goals) meets `goal`; None if unknown."""
    if not goal:
        return None
    words = goal.replace("≤", "<=").replace("≥", ">=").split()
    subject: float | None = value
    if words and words[0] == "ratio":
        subject, words = ratio, words[1:]
    if len(words) != 2 or words[0] not in _COMPARISONS or subject is None:
        return None
    try:
        target = float(words[1])
    except ValueError:
        return None
    if math.isnan(subject):
        return False
    return bool(_COMPARISONS[words[0]](subject, target))


def record(
    bench: str,
    metric: str,
    value: float,
    unit: str,
    baseline: str | None = None,
    baseline_value: float | None = None,
    goal: str | None = None,
) -> dict[str, Any]:
    """Append one figure to $BENCH_RESULTS (if set) and return it as a dict.

    bench: the script's short name ("tile" for bench/tile_bench.py); metric: what was measured
    ("p99, 50 users"); unit: "ms", "s", "req/s", "×", "%", "MiB", "" for counts; baseline: the
    name of what the value is compared with in the same run, baseline_value its figure in the
    same unit; goal: see the module docstring.
    """
    value = float(value)
    ratio = None
    if baseline_value is not None:
        baseline_value = float(baseline_value)
        ratio = value / baseline_value if baseline_value else None
    row = {
        "bench": bench,
        "metric": metric,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "baseline_value": baseline_value,
        "ratio": ratio,
        "goal": goal,
        "goal_met": goal_met(goal, value, ratio),
    }
    path = os.environ.get(RESULTS_ENV)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as results:  # one line per write: append-safe
            results.write(json.dumps(row, ensure_ascii=False, allow_nan=True) + "\n")
    return row
