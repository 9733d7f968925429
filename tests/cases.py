"""Test cases from shared/domain/cases/*.csv: inputs, expected values, tolerance, source."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "domain" / "cases"


@dataclass(frozen=True)
class Case:
    id: str
    function: str
    inputs: dict[str, Any]
    expected: dict[str, Any]
    tolerance: Any
    source: str
    note: str

    def matches(self, key: str, actual: Any) -> bool:
        """Whether `actual` equals expected[key] within the case's tolerance (exact, abs:X,
        rel:X, round:N, or a JSON object of these per key). Lists compare element-wise."""
        rule = (
            self.tolerance.get(key, "exact")
            if isinstance(self.tolerance, dict)
            else (self.tolerance)
        )
        expected = self.expected[key]
        if isinstance(expected, list):
            return len(expected) == len(actual) and all(
                _close(e, a, rule) for e, a in zip(expected, actual, strict=True)
            )
        return _close(expected, actual, rule)


def _close(expected: Any, actual: Any, rule: str) -> bool:
    if rule == "exact" or not isinstance(expected, int | float):
        return expected == actual
    kind, _, amount = rule.partition(":")
    if kind == "abs":
        return abs(actual - expected) <= float(amount)
    if kind == "rel":
        return math.isclose(actual, expected, rel_tol=float(amount))
    if kind == "round":
        return round(actual, int(amount)) == round(expected, int(amount))
    raise ValueError(f"unknown tolerance {rule!r}")


def load_cases(file_name: str, function: str | None = None) -> list[Case]:
    """Every case of `file_name` (optionally only those of `function`)."""
    with (CASES_DIR / file_name).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    cases = []
    for row in rows:
        if function and row["function"] != function:
            continue
        tolerance = row["tolerance"]
        if tolerance.startswith("{"):
            tolerance = json.loads(tolerance)
        cases.append(
            Case(
                id=row["id"],
                function=row["function"],
                inputs=json.loads(row["inputs_json"]),
                expected=json.loads(row["expected_json"]),
                tolerance=tolerance,
                source=row["source"],
                note=row.get("note", ""),
            )
        )
    return cases


def case(file_name: str, case_id: str) -> Case:
    """One case by id."""
    found = [c for c in load_cases(file_name) if c.id == case_id]
    if not found:
        raise KeyError(f"{case_id} not in {file_name}")
    return found[0]
