"""What a steward reads when a file is refused: one line per problem, named precisely.

Messages are English msgids (gettext_noop) with %(name)s parameters, translated when shown,
so a stored batch can be read in any language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_
from pandera.errors import SchemaErrors

# pandera check names → what a steward reads.
CHECK_MESSAGES = {
    "column_in_dataframe": N_("This column is missing."),
    "not_nullable": N_("A value is required."),
    "coerce_dtype": N_("This value has the wrong type."),
    "field_uniqueness": N_("This value is repeated in another row."),
    "multiple_fields_uniqueness": N_("This combination of values is repeated in another row."),
    "isin": N_("This value is not one of the allowed values."),
    "greater_than_or_equal_to": N_("This value is too small."),
    "greater_than": N_("This value is too small."),
    "less_than_or_equal_to": N_("This value is too large."),
    "less_than": N_("This value is too large."),
    "in_range": N_("This value is outside the allowed range."),
    "str_length": N_("This text is too long."),
}


@dataclass(frozen=True)
class RowError:
    """One problem: in which file, row (as the user counts it), field, with what value."""

    file: str
    row: int | None  # None: the whole file or column
    field: str
    value: str
    message: str  # msgid, translated when shown
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def text(error: dict[str, Any]) -> str:
        """The message of a stored error in the active language."""
        return gettext(error["message"]) % error.get("params", {})


class RefusedFile(Exception):
    """The file as a whole is refused (too large, wrong type, unreadable); nothing is read."""

    def __init__(self, file: str, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.error = RowError(file, None, "", "", message, params)

    def at(self, row: int | None, field: str = "", value: str = "") -> RefusedFile:
        """The same refusal, pointing at the row and field where the problem is."""
        self.error = RowError(
            self.error.file, row, field, value[:100], self.error.message, self.error.params
        )
        return self


def pandera_errors(
    exc: SchemaErrors, file_name: str, row_numbers: list[int], messages: dict[str, str]
) -> list[RowError]:
    """One RowError per (row, field) from pandera's lazy failure_cases.

    `row_numbers[i]` is how the user counts the frame's i-th row; `messages` gives the text of
    each custom check by its name (checks carry `error=` msgids).
    """
    found: dict[tuple[int | None, str], RowError] = {}
    for case in exc.failure_cases.to_dict("records"):
        check = str(case["check"])
        missing = check == "column_in_dataframe"
        index = case["index"]
        row = None if index is None or pd.isna(index) else row_numbers[int(index)]
        column = str(case["failure_case"] if missing else (case["column"] or ""))
        value = "" if missing or pd.isna(case["failure_case"]) else str(case["failure_case"])[:100]
        name = check.split("(")[0]
        custom = messages.get(check)
        if custom == check:  # a built-in check's own name, "in_range(-90, 90)": not a msgid
            custom = None
        message = custom or CHECK_MESSAGES.get(name) or check
        found.setdefault((row, column), RowError(file_name, row, column, value, message))
    # A column with unparsable values also fails its checks once as a whole (index None).
    fields_with_rows = {f for r, f in found if r is not None}
    return [e for e in found.values() if e.row is not None or e.field not in fields_with_rows]


def sorted_errors(errors: list[RowError]) -> list[RowError]:
    """File order: whole-file problems first, then by row and field; one per (row, field)."""
    unique: dict[tuple[str, int | None, str], RowError] = {}
    for error in errors:
        unique.setdefault((error.file, error.row, error.field), error)
    return sorted(unique.values(), key=lambda e: (e.file, e.row or 0, e.field))


# A batch keeps this many errors (and warnings) in full; the rest are counted per field and
# message. A 100,000-row junk file would otherwise store 400,000 errors (48 MB of JSON).
KEPT = 1000
SUMMARY_ENTRIES = 200


def bounded(rows: list[RowError]) -> tuple[list[dict[str, Any]], int, list[dict[str, Any]]]:
    """(the first KEPT as dicts, how many in all, the rest counted per (field, message), the
    largest counts first, at most SUMMARY_ENTRIES with what is left over under field "")."""
    counts: dict[tuple[str, str], int] = {}
    for error in rows[KEPT:]:
        key = (error.field[:100], error.message)
        counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    summary = [
        {"field": field, "message": message, "count": count}
        for (field, message), count in ranked[:SUMMARY_ENTRIES]
    ]
    rest = sum(count for _key, count in ranked[SUMMARY_ENTRIES:])
    if rest:
        summary.append({"field": "", "message": N_("Other problems"), "count": rest})
    return [e.as_dict() for e in rows[:KEPT]], len(rows), summary
