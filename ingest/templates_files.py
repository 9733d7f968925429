"""Downloadable templates: one per survey kind, a header row, a unit row and an example row."""

from __future__ import annotations

import csv
import io

from core.lib.spreadsheet import safe_rows
from ingest import registry
from ingest.columns import Column


def template_rows(kind: str) -> list[list[str]]:
    """Header, units and an example row of `kind`'s template (a registered table kind)."""
    spec = registry.get(kind)
    if spec is None or not spec.columns:
        raise KeyError(kind)
    columns: tuple[Column, ...] = spec.columns
    return [
        [c.name for c in columns],
        [c.template_unit if c.template_unit != "-" else "" for c in columns],
        [c.example for c in columns],
    ]


def template_csv(kind: str) -> bytes:
    """The template as UTF-8 CSV with a BOM, so spreadsheet programs open Japanese correctly."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(safe_rows(template_rows(kind)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(kind: str) -> bytes:
    """The template as an XLSX workbook with the header and unit rows frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = kind[:31]
    for row in safe_rows(template_rows(kind)):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(italic=True)
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
