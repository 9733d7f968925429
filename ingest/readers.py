"""Read uploaded files safely: size and zip limits, encoding detection, no XML entities.

Tables (CSV, XLSX) have a header row and a unit row; data start on row 3, as a spreadsheet
counts. Nothing here writes to the database.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from charset_normalizer import from_bytes
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext_noop as N_

from ingest.errors import RefusedFile, RowError

HEADER_ROW = 1
UNIT_ROW = 2
FIRST_DATA_ROW = 3
# Encodings a survey file may come in. Japanese files are cp932 in practice (① and 髙 are not in
# strict Shift_JIS); Russian / Tajik files may be cp1251.
CANDIDATE_ENCODINGS = ("utf_8", "cp932", "euc_jp", "cp1251")

# Python's cp932 turns the bytes 0xA0, 0xFD-0xFF (no character in Shift_JIS) into these
# private-use characters instead of failing: no text has them.
CP932_SINGLE_BYTE_PUA = "\uf8f0\uf8f1\uf8f2\uf8f3"

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding=["']([A-Za-z0-9_\-]+)["']""")


def sniff_format(data: bytes, file_name: str) -> str:
    """csv, xlsx, zip-shp, gpkg, geojson, xml or las, from the content, checked against the name.

    The name alone is not trusted: a renamed file is refused with a message saying what it is.
    """
    name = file_name.lower()
    head = data[:4096].lstrip(codecs.BOM_UTF8).lstrip()
    if data.startswith(b"SQLite format 3\x00"):
        found = "gpkg"
    elif data.startswith(b"PK\x03\x04"):
        found = _zip_format(data, file_name)
    elif head.startswith(b"~V") or head.startswith(b"~v"):
        found = "las"
    elif head.startswith(b"<"):
        found = "xml"
    elif head.startswith(b"{"):
        found = "geojson"
    elif b"\x00" in data[:4096]:
        raise RefusedFile(file_name, N_("This is not a file type the importer reads."))
    else:
        found = "csv"
    expected = {
        ".csv": "csv",
        ".txt": "csv",
        ".xlsx": "xlsx",
        ".zip": "zip-shp",
        ".gpkg": "gpkg",
        ".geojson": "geojson",
        ".json": "geojson",
        ".xml": "xml",
        ".las": "las",
    }
    suffix = Path(name).suffix
    if suffix not in expected:
        raise RefusedFile(
            file_name,
            N_("Files ending in %(suffix)s are not read; use %(accepted)s."),
            suffix=suffix or "(none)",
            accepted=", ".join(sorted(expected)),
        )
    if expected[suffix] != found:
        raise RefusedFile(
            file_name,
            N_("The name says %(expected)s but the content is %(found)s."),
            expected=expected[suffix],
            found=found,
        )
    return found


def _zip_format(data: bytes, file_name: str) -> str:
    """Check a zip against the bomb limits; say whether it is an XLSX or a zipped shapefile."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise RefusedFile(file_name, N_("The zip archive is damaged.")) from exc
    members = archive.infolist()
    if len(members) > settings.IMPORT_MAX_ZIP_MEMBERS:
        raise RefusedFile(
            file_name,
            N_("The archive holds more than %(n)s files."),
            n=settings.IMPORT_MAX_ZIP_MEMBERS,
        )
    total = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if total > settings.IMPORT_MAX_UNZIPPED_BYTES or total / packed > settings.IMPORT_MAX_ZIP_RATIO:
        raise RefusedFile(
            file_name,
            N_("The archive unpacks to %(size)s bytes (ratio %(ratio)s): refused as a zip bomb."),
            size=total,
            ratio=round(total / packed),
        )
    names = {m.filename for m in members}
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.lower().endswith(".shp") for n in names):
        return "zip-shp"
    raise RefusedFile(file_name, N_("The archive holds neither a spreadsheet nor a shapefile."))


def check_size(size: int, file_name: str) -> None:
    """Refuse empty files and files over IMPORT_MAX_BYTES before reading them."""
    if size == 0:
        raise RefusedFile(file_name, N_("The file is empty."))
    if size > settings.IMPORT_MAX_BYTES:
        raise RefusedFile(
            file_name,
            N_("The file is %(size)s bytes; the limit is %(limit)s bytes."),
            size=size,
            limit=settings.IMPORT_MAX_BYTES,
        )


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """Decode text whose encoding is detected, not assumed: BOM, strict UTF-8, then a guess.

    Returns (text, encoding name).
    """
    text, encoding = _decode(data, file_name)
    if "\x00" in text:  # PostgreSQL text cannot hold it; no survey file has one
        row, field = _place(data, data.find(b"\x00"))
        raise RefusedFile(file_name, N_("The file holds a NUL byte: it is not text.")).at(
            row, field
        )
    return text, encoding


def _decode(data: bytes, file_name: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            bad_byte = exc.start + len(codecs.BOM_UTF8)
            row, field = _place(data, bad_byte)
            raise RefusedFile(
                file_name,
                N_("The file says it is UTF-8 but byte %(position)s is not UTF-8."),
                position=bad_byte,
            ).at(row, field) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        bad_byte = exc.start
    loose = data.decode("utf-8", errors="replace")
    valid = sum(1 for c in loose if ord(c) > 0x7F) - loose.count("\ufffd")
    if valid and valid >= len(re.findall("\ufffd+", loose)):
        # Mostly UTF-8 (°, 粘土 written by a UTF-8 tool) with a few bytes that are not: read
        # in a legacy encoding it would be mojibake (° as "Â°"), so the bad byte is named.
        row, field = _place(data, bad_byte)
        raise RefusedFile(
            file_name,
            N_("The file is UTF-8 but byte %(position)s is not UTF-8."),
            position=bad_byte,
        ).at(row, field)
    if _looks_like_cp932(data):
        # charset_normalizer takes short Japanese texts for cp1251 (粘土 → "”S“y"): mojibake.
        return data.decode("cp932"), "cp932"
    best = from_bytes(data, cp_isolation=list(CANDIDATE_ENCODINGS)).best()
    if best is None:
        row, field = _place(data, bad_byte)
        raise RefusedFile(
            file_name,
            N_(
                "The text encoding could not be recognised (byte %(position)s is not UTF-8); "
                "save the file as UTF-8."
            ),
            position=bad_byte,
        ).at(row, field)
    return str(best), best.encoding


def _looks_like_cp932(data: bytes) -> bool:
    """Shift_JIS (cp932) text: decodes strictly, and most of its non-ASCII characters are
    double-byte ones led by 0x81-0x9F (kana, level-1 kanji, ° and other symbols), which
    Cyrillic cp1251 text, the other legacy encoding we read, almost never has."""
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return False
    if any(c in CP932_SINGLE_BYTE_PUA for c in text):
        return False
    wide = [c.encode("cp932") for c in text if ord(c) > 0x7F]
    led = sum(1 for c in wide if len(c) == 2 and 0x81 <= c[0] <= 0x9F)
    return bool(wide) and led >= len(wide) / 2


def _place(data: bytes, position: int) -> tuple[int, str]:
    """The row (line) of byte `position` of a table and the column its cell is in."""
    row = data.count(b"\n", 0, position) + 1
    line_start = data.rfind(b"\n", 0, position) + 1
    header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    prefix = data[line_start:position].decode("utf-8", errors="replace")
    try:
        names = next(csv.reader([header]), [])
        cell = max(len(next(csv.reader([prefix]), [""])) - 1, 0)
    except csv.Error:  # e.g. a NUL byte in the line
        return row, ""
    return row, names[cell].strip() if row > HEADER_ROW and cell < len(names) else ""


@dataclass
class Table:
    """A survey table as read: header, unit row and the data cells as text."""

    file_name: str
    columns: list[str]
    units: dict[str, str]
    frame: pd.DataFrame  # every cell a str ("" when empty)
    row_numbers: list[int]  # how the user counts each frame row
    encoding: str
    cell_errors: list[RowError]  # e.g. formulas in XLSX cells


def read_table(data: bytes, file_name: str, file_format: str) -> Table:
    """Read a CSV or XLSX survey table (header row, unit row, data rows)."""
    if file_format == "xlsx":
        rows, encoding, cell_errors = _xlsx_rows(data, file_name)
    else:
        text, encoding = decode_text(data, file_name)
        tabbed = "\t" in text.split("\n", 1)[0]
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                header=None,
                skip_blank_lines=False,
                sep=None if tabbed else ",",
                engine="python" if tabbed else "c",
            )
        except (pd.errors.ParserError, ValueError) as exc:
            line = _PARSER_LINE.search(str(exc))
            raise RefusedFile(
                file_name, N_("The CSV file could not be read: %(reason)s"), reason=str(exc)[:200]
            ).at(int(line.group(1)) if line else None) from exc
        # A row shorter than the header is padded with NaN: those cells are empty, not "nan".
        rows = frame.fillna("").values.tolist()
        cell_errors = formula_cells(rows, file_name)
        _check_not_cut(text, "\t" if tabbed else ",", len(frame), file_name)
    if len(rows) < UNIT_ROW:
        raise RefusedFile(
            file_name, N_("The file needs a header row and a unit row (see the template).")
        )
    header = [str(c).strip() for c in rows[0]]
    units_row = [str(c).strip() for c in rows[1]]
    named = [i for i, name in enumerate(header) if name]
    data_rows = rows[2:]
    # Trailing blank rows (common in spreadsheets) are not data.
    while data_rows and all(str(c).strip() == "" for c in data_rows[-1]):
        data_rows.pop()
    columns = [header[i] for i in named]
    duplicates = sorted({c for c in columns if columns.count(c) > 1})
    if duplicates:
        raise RefusedFile(
            file_name, N_("These columns appear twice: %(columns)s."), columns=", ".join(duplicates)
        ).at(HEADER_ROW, duplicates[0])
    if not data_rows:
        raise RefusedFile(file_name, N_("The file has no data rows below its unit row."))
    frame = pd.DataFrame(
        [[str(row[i]).strip() if i < len(row) else "" for i in named] for row in data_rows],
        columns=columns,
        dtype=str,
    )
    units = {header[i]: units_row[i] if i < len(units_row) else "" for i in named}
    row_numbers = list(range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame)))
    return Table(file_name, columns, units, frame, row_numbers, encoding, cell_errors)


_PARSER_LINE = re.compile(r"\bline (\d+)")


def formula_cells(rows: list[list[Any]], file_name: str) -> list[RowError]:
    """A cell starting with "=" is a formula once the file is opened in a spreadsheet (as in
    XLSX, refused: "=cmd|..." or "=HYPERLINK(...)" would run when an export is opened)."""
    header = [str(c).strip() for c in rows[0]] if rows else []
    return [
        RowError(
            file_name,
            number,
            header[position] if position < len(header) else f"#{position + 1}",
            str(value)[:100],
            N_("Formulas are not accepted: type the value itself."),
        )
        for number, row in enumerate(rows, start=1)
        for position, value in enumerate(row)
        if str(value).lstrip().startswith("=")
    ]


def _check_not_cut(text: str, separator: str, rows: int, file_name: str) -> None:
    """A file cut short ends inside its last row: no final newline, and fewer cells than the
    header names (pandas fills the missing ones in as empty)."""
    if rows <= UNIT_ROW or text.endswith(("\n", "\r")):
        return
    header = next(csv.reader([text.split("\n", 1)[0]], delimiter=separator), [])
    cells = next(csv.reader([text.rsplit("\n", 1)[-1]], delimiter=separator), [])
    if len(cells) < len(header):
        raise RefusedFile(
            file_name,
            N_("The last row stops before its last cells: the file seems cut short."),
        ).at(rows, header[len(cells)].strip())


def _xlsx_rows(data: bytes, file_name: str) -> tuple[list[list[Any]], str, list[RowError]]:
    """Rows of the first sheet as text. A formula cell is an error naming its row and column."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:
        raise RefusedFile(file_name, N_("The spreadsheet could not be read.")) from exc
    try:
        return _sheet_rows(book, file_name)
    except RefusedFile:
        raise
    except Exception as exc:  # read-only sheets are parsed while iterating: entities, bad zip
        raise RefusedFile(file_name, N_("The spreadsheet could not be read.")) from exc
    finally:
        book.close()


def _sheet_rows(book: Any, file_name: str) -> tuple[list[list[Any]], str, list[RowError]]:
    sheet = book.worksheets[0]
    rows: list[list[Any]] = []
    errors: list[RowError] = []
    header: list[str] = []
    for number, row in enumerate(sheet.iter_rows(), start=1):
        values = []
        for position, cell in enumerate(row):
            value = cell.value
            if isinstance(value, str) and value.startswith("=") and cell.data_type == "f":
                field = header[position] if position < len(header) else f"#{position + 1}"
                errors.append(
                    RowError(
                        file_name,
                        number,
                        field,
                        value[:100],
                        N_("Formulas are not accepted: type the value itself."),
                    )
                )
                value = ""
            values.append(_cell_text(value))
        if number == HEADER_ROW:
            header = [str(v) for v in values]
        rows.append(values)
    return rows, "xlsx", errors


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


def parse_xml(data: bytes, file_name: str) -> Any:
    """Parse XML with entity expansion and external references off (defusedxml).

    A DOCTYPE naming the DTD is allowed (Kunijiban files have one); entity declarations are
    refused. Shift_JIS is decoded as cp932, its superset in practice.
    """
    declared = _XML_ENCODING.search(data[:200])
    encoding = declared.group(1).decode("ascii").lower().replace("-", "_") if declared else None
    if encoding in ("shift_jis", "sjis", "x_sjis", "ms932", "windows_31j", "cp932"):
        try:
            text = data.decode("cp932", errors="strict")
            pua = next((i for i, c in enumerate(text) if c in CP932_SINGLE_BYTE_PUA), None)
            if pua is not None:
                raise UnicodeDecodeError(
                    "cp932", data, len(text[:pua].encode("cp932")), 0, "no character"
                )
        except UnicodeDecodeError as exc:
            raise RefusedFile(
                file_name,
                N_("The file says Shift_JIS but byte %(position)s is not Shift_JIS."),
                position=exc.start,
            ).at(data.count(b"\n", 0, exc.start) + 1) from exc
    else:
        text, _encoding = decode_text(data, file_name)
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        return SafeET.fromstring(text, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as exc:
        raise RefusedFile(
            file_name, N_("XML entities and external references are not accepted.")
        ) from exc
    except SafeET.ParseError as exc:
        raise RefusedFile(
            file_name, N_("The XML is not well formed: %(reason)s"), reason=str(exc)[:200]
        ) from exc
