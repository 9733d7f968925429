"""Column specifications of the survey templates, and turning a read table into typed SI values.

Each survey kind lists its columns: name, what it holds, the dimension of its unit (the unit
row must name an accepted unit; values are converted to SI here, at the edge), and the rule a
value must meet. pandera then checks every rule on the whole frame at once (lazy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pandera.pandas as pa
from django.utils.translation import gettext_noop as N_
from pandera.errors import SchemaErrors

from core.lib.units import UNITS_TO_SI, accepted_units, normalise_unit, to_si
from ingest.errors import RowError, pandera_errors
from ingest.readers import UNIT_ROW, Table

# No quantity a survey measures comes near 10¹² in SI units (m, s, K, W, kg/m³, m³/s).
MAX_SI_MAGNITUDE = 1e12
NUMBER, TEXT, DATETIME, DATE, CHOICE, BOOL = "number", "text", "datetime", "date", "choice", "bool"
TRUE_WORDS = {"true", "yes", "1", "y", "はい", "да", "ҳа"}
FALSE_WORDS = {"false", "no", "0", "n", "", "いいえ", "нет", "не"}


@dataclass(frozen=True)
class Column:
    """One column of a template."""

    name: str
    type: str = NUMBER
    dimension: str | None = None  # key of core.lib.units.UNITS_TO_SI for numbers
    required: bool = True
    help: str = ""
    example: str = ""
    # The unit of `example`, shown in the template's unit row (default: the first accepted).
    unit: str = ""
    # A series kind needs several rows: the examples of the template's later rows (a column
    # without them repeats `example`).
    more_examples: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    checks: tuple[pa.Check, ...] = ()
    max_length: int = 200
    censorable: bool = False  # "<0.05" (below detection) and "nd" (not detected) accepted

    @property
    def template_unit(self) -> str:
        """The unit the template's unit row shows: the unit of the example values (the first
        accepted one unless the column names its own)."""
        if self.type != NUMBER or self.dimension in (None, "dimensionless"):
            return "-"
        return self.unit or accepted_units(self.dimension)[0]

    @property
    def examples(self) -> tuple[str, ...]:
        """The example value of each data row of the template."""
        return (self.example, *self.more_examples)


@dataclass
class Parsed:
    """A table turned into typed SI values, with every problem found so far."""

    frame: pd.DataFrame
    row_numbers: list[int]
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    # (frame index, column) → "<" (value is the detection limit) or "nd" (not detected)
    qualifiers: dict[tuple[int, str], str] = field(default_factory=dict)

    @cached_property
    def cells(self) -> list[dict[str, Any]]:
        """The frame's rows as dicts: per-row access without pandas' per-cell overhead."""
        return self.frame.to_dict("records")


def parse_table(table: Table, columns: tuple[Column, ...], time_zone: str) -> Parsed:
    """Check header and units, parse each cell, convert to SI, validate every rule (lazily)."""
    errors: list[RowError] = list(table.cell_errors)
    warnings: list[RowError] = []
    qualifiers: dict[tuple[int, str], str] = {}
    known = {c.name for c in columns}
    for extra in (c for c in table.columns if c not in known):
        warnings.append(RowError(table.file_name, None, extra, "", N_("Unknown column; ignored.")))
    frame = pd.DataFrame(index=range(len(table.frame)))
    for column in columns:
        if column.name not in table.frame.columns:
            if column.required:
                errors.append(
                    RowError(table.file_name, None, column.name, "", N_("This column is missing."))
                )
            frame[column.name] = _empty(column, len(frame))
            continue
        raw = table.frame[column.name]
        if column.censorable:
            raw, censored = _censored(raw)
            qualifiers.update({(index, column.name): q for index, q in censored.items()})
        values, cell_errors = _parse_column(table, column, raw, time_zone)
        errors.extend(cell_errors)
        frame[column.name] = values
    schema = pa.DataFrameSchema(
        {c.name: _schema_column(c) for c in columns},
        coerce=False,
        strict=False,
    )
    if not any(e.row is None and e.message == N_("This column is missing.") for e in errors):
        try:
            schema.validate(frame, lazy=True)
        except SchemaErrors as exc:
            messages = {str(check.error): str(check.error) for c in columns for check in c.checks}
            failed = pandera_errors(exc, table.file_name, table.row_numbers, messages)
            # A cell that did not parse is already reported; do not report it twice.
            seen = {(e.row, e.field) for e in errors}
            # A column whose unit is refused has no values: its unit row is the one problem.
            unit_refused = {e.field for e in errors if e.row == UNIT_ROW}
            errors.extend(
                e
                for e in failed
                if (e.row, e.field) not in seen and not (e.field in unit_refused and e.row)
            )
    return Parsed(frame, table.row_numbers, errors, warnings, qualifiers)


NOT_DETECTED_WORDS = {"nd", "n.d.", "not detected", "不検出", "検出されず", "не обнаружено"}


def _censored(raw: pd.Series) -> tuple[pd.Series, dict[int, str]]:
    """Strip "<" from below-detection values and blank out "not detected", noting which."""
    qualifiers: dict[int, str] = {}
    cleaned = raw.copy()
    stripped = raw.str.strip()
    below = stripped.str.startswith("<")
    for index in raw.index[below]:
        qualifiers[index] = "<"
        cleaned[index] = stripped[index][1:].strip()
    absent = stripped.str.lower().isin(NOT_DETECTED_WORDS)
    for index in raw.index[absent]:
        qualifiers[index] = "nd"
        cleaned[index] = ""
    return cleaned, qualifiers


def _empty(column: Column, length: int) -> pd.Series:
    """The values of an optional column the file leaves out: no value in every row."""
    if column.type == NUMBER:
        return pd.Series(np.nan, index=range(length), dtype="float64")
    if column.type == BOOL:
        return pd.Series(False, index=range(length), dtype="bool")
    return pd.Series([None] * length, index=range(length), dtype="object")


def _schema_column(column: Column) -> pa.Column:
    checks = list(column.checks)
    if column.type == CHOICE:
        checks.append(pa.Check.isin(column.choices))
    if column.type == TEXT:
        checks.append(pa.Check.str_length(0, column.max_length))
    dtype: Any = {NUMBER: "float64", BOOL: "bool"}.get(column.type, object)
    return pa.Column(dtype, checks=checks, nullable=not column.required, required=False)


def _bad_cells(
    table: Table, column: Column, raw: pd.Series, bad: pd.Series, message: str
) -> list[RowError]:
    """One RowError per cell where `bad` is true, naming the row as the user counts it."""
    return [
        RowError(table.file_name, table.row_numbers[i], column.name, raw[i][:100], message)
        for i in raw.index[bad]
    ]


def _parse_column(
    table: Table, column: Column, raw: pd.Series, time_zone: str
) -> tuple[pd.Series, list[RowError]]:
    errors: list[RowError] = []
    unit = table.units.get(column.name, "")
    present = raw.str.strip() != ""
    if column.type == NUMBER:
        dimension = column.dimension or "dimensionless"
        if normalise_unit(unit) not in UNITS_TO_SI[dimension]:
            errors.append(
                RowError(
                    table.file_name,
                    UNIT_ROW,
                    column.name,
                    unit,
                    N_("The unit is not accepted here; use one of: %(accepted)s."),
                    {"accepted": ", ".join(accepted_units(dimension))},
                )
            )
            return pd.Series(np.nan, index=raw.index, dtype="float64"), errors
        numbers = pd.to_numeric(raw.str.replace(",", "", regex=False), errors="coerce")
        bad = present & (numbers.isna() | ~np.isfinite(numbers.astype("float64")))
        errors += _bad_cells(table, column, raw, bad, N_("This is not a number."))
        values = pd.Series(to_si(numbers.where(~bad), unit, dimension), index=raw.index)
        # 1e308 is a float, but no depth, time or concentration: and ×60 it overflows to inf.
        huge = present & ~bad & ~(values.abs() <= MAX_SI_MAGNITUDE)
        errors += _bad_cells(
            table, column, raw, huge, N_("This number is too large to be a measurement.")
        )
        return values.where(~huge), errors
    if column.type in (DATETIME, DATE):
        parsed = pd.to_datetime(raw.where(present), errors="coerce", format="mixed")
        bad = present & parsed.isna()
        errors += _bad_cells(
            table,
            column,
            raw,
            bad,
            N_("This is not a date (write YYYY-MM-DD or YYYY-MM-DD hh:mm)."),
        )
        if column.type == DATE:
            dates = [None if pd.isna(value) else value.date() for value in parsed]
            return pd.Series(dates, index=raw.index, dtype=object), errors
        if parsed.dt.tz is None:
            parsed = parsed.dt.tz_localize(ZoneInfo(time_zone), ambiguous="NaT")
        stamps = [None if pd.isna(value) else value.to_pydatetime() for value in parsed]
        return pd.Series(stamps, index=raw.index, dtype=object), errors
    if column.type == BOOL:
        lowered = raw.str.strip().str.lower()
        bad = ~lowered.isin(TRUE_WORDS | FALSE_WORDS)
        errors += _bad_cells(table, column, raw, bad, N_("Write true or false."))
        return lowered.isin(TRUE_WORDS), errors
    return raw.str.strip().where(present, None), errors
