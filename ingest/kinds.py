"""What the apps' survey kinds build their records with: the columns every survey row has, and
the checks that look at more than one row."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.utils.translation import gettext_noop as N_

from ingest.columns import BOOL, TEXT, Column, Parsed
from ingest.errors import RowError
from ingest.registry import Context

COMMON = (
    Column("published", BOOL, required=False, help=N_("true to publish on import"), example="true"),
    Column("synthetic", BOOL, required=False, help=N_("true if not measured"), example="false"),
    Column("source", TEXT, required=False, help=N_("where the numbers come from"), max_length=300),
)


def common(row: dict[str, Any]) -> dict[str, Any]:
    """The SurveyRecord fields of a row with the COMMON columns."""
    return {
        "published": bool(row["published"]),
        "is_synthetic": bool(row["synthetic"]),
        "source": row["source"] or "",
    }


def as_float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def clean_rows(parsed: Parsed, errors: list[RowError]) -> list[int]:
    """Frame indexes of the rows with no error (records are built from these only)."""
    bad_rows = {e.row for e in errors if e.row is not None} | {
        e.row for e in parsed.errors if e.row is not None
    }
    return [i for i, row in enumerate(parsed.row_numbers) if row not in bad_rows]


def repeated_keys(
    parsed: Parsed, ctx: Context, errors: list[RowError], key: list[str], field_name: str
) -> None:
    """An error on each row whose `key` columns repeat an earlier row's."""
    repeated = parsed.frame.duplicated(subset=key, keep="first") & parsed.frame[key].notna().all(1)
    for index in parsed.frame.index[repeated]:
        errors.append(
            RowError(
                ctx.file_name,
                parsed.row_numbers[index],
                field_name,
                str(parsed.cells[index][field_name]),
                N_("This combination of values is repeated in another row."),
            )
        )
