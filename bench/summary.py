"""Print every figure the benchmarks recorded (bench/_report.py) as one aligned table.

Usage: python bench/summary.py RESULTS.jsonl [BENCH ...]
scripts/bench.sh calls it at the end of `make bench` with the file it gave the benches as
BENCH_RESULTS and the short names of the benches it ran; a named bench with no row is listed
as missing (it failed before recording). Ratios are against baselines measured in the same run.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any


def number(value: float | None) -> str:
    """Three significant figures, no exponent for the sizes benches print."""
    if value is None:
        return ""
    if math.isnan(value):
        return "nan"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"  # counts
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def read(path: Path) -> list[dict[str, Any]]:
    rows = []
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            print(f"{path.name}: line {line_number} is not JSON, skipped", file=sys.stderr)
    return rows


def table(rows: list[dict[str, Any]]) -> list[str]:
    header = ("bench", "metric", "value", "unit", "baseline", "its value", "ratio", "goal", "met")
    body = []
    for row in rows:
        met = row.get("goal_met")
        body.append(
            (
                row["bench"],
                row["metric"],
                number(row["value"]),
                row.get("unit") or "",
                row.get("baseline") or "",
                number(row.get("baseline_value")),
                f"{number(row['ratio'])}×" if row.get("ratio") is not None else "",
                row.get("goal") or "",
                "" if met is None else ("yes" if met else "NO"),
            )
        )
    widths = [max(len(str(r[i])) for r in (header, *body)) for i in range(len(header))]
    right = {2, 5, 6}  # numbers
    lines = []
    for cells in (header, *body):
        lines.append(
            "  ".join(
                str(c).rjust(w) if i in right else str(c).ljust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()
        )
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path = Path(argv[1])
    rows = read(path) if path.is_file() else []
    print(f"all benchmarks, one table ({len(rows)} figures; ratio = value / baseline, same run)")
    if rows:
        print("\n".join(table(rows)))
    goals = [r["goal_met"] for r in rows if r.get("goal_met") is not None]
    print(f"goals met: {sum(goals)} of {len(goals)}")
    missing = [name for name in argv[2:] if not any(r["bench"] == name for r in rows)]
    if missing:
        print(f"benches that recorded nothing (failed?): {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
