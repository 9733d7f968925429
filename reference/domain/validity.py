"""Which reference value holds on a date: prices, tariffs and factors change, and each row says
from when (valid_from) and until when (valid_to) it holds; None is open on that side. Pure: the
rows come from the database (or anywhere) as objects or mappings.

The rule (issue #21: "NULLs must not sort first; a later valid_from wins"):
1. a row holds on `on` when (valid_from is None or valid_from ≤ on) and
   (valid_to is None or on ≤ valid_to), both ends included;
2. of the rows that hold, the most specific scope wins (a region's value over its country's);
3. then the latest valid_from, an open start (None) counting as the earliest of all, so a new
   dated price replaces an undated one instead of hiding behind it (in SQL, DESC puts NULLs
   first: ORDER BY valid_from DESC picks the undated row);
4. then the row given last (the caller passes them oldest first, e.g. by primary key).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

Row = TypeVar("Row")


def field(row: Any, name: str) -> Any:
    """row.name, or row[name] for a mapping (None when absent)."""
    if isinstance(row, Mapping):
        return row.get(name)
    return getattr(row, name, None)


def holds_on(row: Any, on: date) -> bool:
    """Whether the row's validity period contains `on` (ends included; None is open)."""
    start, end = field(row, "valid_from"), field(row, "valid_to")
    return (start is None or start <= on) and (end is None or on <= end)


def valid_on(
    rows: Iterable[Row],
    on: date,
    scope: Callable[[Row], int] = lambda row: 0,
) -> Row | None:
    """The row that holds on `on` by the module's rule, None when none does.

    scope: specificity of a row, higher wins (e.g. 1 for a region's row, 0 for a country's).
    """
    best: Row | None = None
    best_rank: tuple[int, int, date] | None = None
    for row in rows:
        if not holds_on(row, on):
            continue
        start = field(row, "valid_from")
        rank = (scope(row), 1 if start is not None else 0, start or date.min)
        if best_rank is None or rank >= best_rank:  # ">=": of equals, the later row (rule 4)
            best, best_rank = row, rank
    return best


def valid_table(
    rows: Iterable[Row],
    on: date,
    key: Callable[[Row], Hashable] = lambda row: field(row, "key"),
    scope: Callable[[Row], int] = lambda row: 0,
) -> dict[Hashable, Row]:
    """Per key, the row that holds on `on` (keys with no such row are left out)."""
    grouped: dict[Hashable, list[Row]] = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    table = {}
    for name, group in grouped.items():
        chosen = valid_on(group, on, scope)
        if chosen is not None:
            table[name] = chosen
    return table


def versions(rows: Mapping[Hashable, Any], identity: str = "pk") -> list[tuple[str, Any]]:
    """A stable, sortable list of (key, identity) of the rows an estimate used: put in its
    reuse key, a change of any price or factor it used makes a new estimate."""
    return sorted((str(name), field(row, identity)) for name, row in rows.items())
