"""Downloadable templates: one per survey kind, a header row, a unit row and an example row."""

from __future__ import annotations

import csv
import io

from core.lib.spreadsheet import safe_rows
from ingest import registry
from ingest.columns import NUMBER, Column


def _columns(kind: str) -> tuple[Column, ...]:
    spec = registry.get(kind)
    if spec is None or not spec.columns:
        raise KeyError(kind)
    columns: tuple[Column, ...] = spec.columns
    return columns


def template_rows(kind: str) -> list[list[str]]:
    """Header, units and the example rows of `kind`'s template (a registered table kind): one
    row, or as many as a series kind needs to import (a TRT's fit needs three readings)."""
    columns = _columns(kind)
    count = max(len(c.examples) for c in columns)
    return [
        [c.name for c in columns],
        [c.template_unit if c.template_unit != "-" else "" for c in columns],
        *(
            [c.examples[i] if i < len(c.examples) else c.example for c in columns]
            for i in range(count)
        ),
    ]


def _typed(columns: tuple[Column, ...], row: list[str]) -> list[str | float]:
    """A data row with its number columns as numbers, as a spreadsheet stores what is typed
    into it (text that looks like a number makes Excel flag every cell)."""
    return [
        float(value) if column.type == NUMBER and value != "" else value
        for column, value in zip(columns, row, strict=True)
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

    columns = _columns(kind)
    header, units, *examples = safe_rows(template_rows(kind))
    book = Workbook()
    sheet = book.active
    sheet.title = kind[:31]
    for row in (header, units, *(_typed(columns, example) for example in examples)):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(italic=True)
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
