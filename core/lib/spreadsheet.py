"""Cells the site writes into CSV and XLSX files, safe to open in a spreadsheet.

OWASP "CSV Injection": a text cell beginning with =, +, -, @, a tab or a carriage return is
read as a formula by Excel, LibreOffice and Sheets (`=HYPERLINK(...)` from an uploaded file
comes back out as a live link). Such a cell is written with a leading apostrophe, which the
spreadsheet shows as text. Numbers are not text: a negative number in a numeric column stays a
number, and so does a text cell that is a plain number ("-12.5" in a CSV, where every cell is
text): a spreadsheet reads it as that number, not as a formula. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` as written, with a text cell that a spreadsheet would run escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _plain_number(value):
        return "'" + value
    return value


def _plain_number(text: str) -> bool:
    if text[:1] not in ("-", "+") or (not text[1:2].isdigit() and text[1:2] != "."):
        return False
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def safe_rows(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    return [safe_row(row) for row in rows]
