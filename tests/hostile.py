"""A corpus of hostile uploads, generated: every survey kind × format × mutation, Kunijiban XML,
LAS, GIS files, and the planning uploads (building stock, district layers).

Each `Hostile` carries what it breaks: the row and field a refusal must name where there is
one (`row`/`field`; `ANY` when several are right), or None for a problem of the whole file.
Nothing here touches the database; tests/test_hostile_uploads.py feeds the corpus through the
importers and checks that every file is refused and nothing is written.

Base files are valid (a test checks that each imports); the mutations make them hostile.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import random
import struct
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.wells import files

ANY = "*"  # any field (or row) will do: the mutation breaks more than one
SEED = 20261123
SOURCE = "hostile corpus base"
# YOSHIOKA-2014's test borehole is in Yoshioka, Gunma; these points are nearby, inside Gunma.
LON, LAT = files.YOSHIOKA_LON, files.YOSHIOKA_LAT


@dataclass(frozen=True)
class Hostile:
    """One malformed upload and where its refusal must point."""

    target: str  # "survey" (the upload page), "building_stock" or "districts" (planning)
    category: str
    case: str  # a readable id, unique in the corpus
    name: str  # the uploaded file's name
    data: bytes
    kind: str = "auto"  # the survey kind the steward chose
    row: int | str | None = None  # None: the whole file; ANY: some row
    field: str | None = None  # None: the whole file; ANY: some field
    size: int | None = None  # a declared size larger than `data` (oversized files, see below)

    @property
    def whole_file(self) -> bool:
        return self.row is None and self.field is None


# --- valid base tables, one per survey kind (header, unit row, data rows) --------------------


@dataclass(frozen=True)
class Spec:
    """A survey kind's valid table and the columns each mutation aims at."""

    rows: tuple[tuple[str, ...], ...]
    number: str | None  # a required number column
    nonneg: str | None  # a number column that must not be negative
    date: str | None
    choice: str | None
    dup_field: str  # the field named when the last row is repeated
    code: str  # the code or borehole_code column
    required: tuple[str, ...]


def _rows(*rows: list[object]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple("" if v is None else str(v) for v in row) for row in rows)


def _with_common(rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    header, units, *data = rows
    return (
        (*header, "published", "source"),
        (*units, "", ""),
        *((*r, "true", SOURCE) for r in data),
    )


def _polygon(lon: float, lat: float, size: float = 0.01) -> str:
    ring = [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)]
    return "POLYGON((" + ", ".join(f"{x} {y}" for x, y in ring) + "))"


SPECS: dict[str, Spec] = {
    "boreholes": Spec(
        _with_common(
            _rows(
                ["code", "name", "lon", "lat", "depth", "diameter", "drilled_on", "purpose"],
                ["", "", "°", "°", "m", "mm", "", ""],
                ["HX-2", "吉岡町観測井", 139.0, 36.45, 40, 150, "2014-05-01", "exploration"],
                ["HX-3", "吉岡町観測井②", 139.02, 36.44, 45, 150, "2014-05-02", "exploration"],
            )
        ),
        number="depth",
        nonneg="depth",
        date="drilled_on",
        choice="purpose",
        dup_field="code",
        code="code",
        required=("code", "depth", "purpose"),
    ),
    "geological_layers": Spec(
        _with_common(
            _rows(
                ["borehole_code", "top", "bottom", "lithology", "lithology_text"],
                ["", "m", "m", "", ""],
                ["YOS-1", 0, 5, "clay", "粘土"],
                ["YOS-1", 5, 20, "sandy_gravel", "砂礫"],
            )
        ),
        number="bottom",
        nonneg="top",
        date=None,
        choice="lithology",
        dup_field="top",
        code="borehole_code",
        required=("borehole_code", "top", "bottom", "lithology"),
    ),
    "well_intervals": Spec(
        _with_common(
            _rows(
                ["borehole_code", "kind", "top", "bottom", "description"],
                ["", "", "m", "m", ""],
                ["YOS-1", "casing", 0, 27.7, "blank pipe"],
                ["YOS-1", "screen", 27.7, 51.3, "slotted"],
            )
        ),
        number="bottom",
        nonneg="top",
        date=None,
        choice="kind",
        dup_field="top",
        code="borehole_code",
        required=("borehole_code", "kind", "top", "bottom"),
    ),
    "groundwater_levels": Spec(
        _with_common(
            _rows(
                ["borehole_code", "measured_at", "depth_to_water", "note"],
                ["", "", "m", ""],
                ["YOS-1", "2015-01-05 10:00", 33.1, "hostile"],
                ["YOS-1", "2015-02-05 10:00", 33.2, "hostile"],
            )
        ),
        number="depth_to_water",
        nonneg=None,  # a negative depth to water is artesian: allowed
        date="measured_at",
        choice=None,
        dup_field="measured_at",
        code="borehole_code",
        required=("borehole_code", "measured_at", "depth_to_water"),
    ),
    "temperature_logs": Spec(
        _with_common(
            _rows(
                ["borehole_code", "measured_at", "depth", "temperature", "instrument"],
                ["", "", "m", "°C", ""],
                ["YOS-1", "2015-03-01", 10, 17.0, "HPTL-1000"],
                ["YOS-1", "2015-03-01", 20, 16.8, "HPTL-1000"],
                ["YOS-1", "2015-03-01", 30, 16.6, "HPTL-1000"],
            )
        ),
        number="temperature",
        nonneg="depth",
        date="measured_at",
        choice=None,
        dup_field="depth",
        code="borehole_code",
        required=("borehole_code", "measured_at", "depth", "temperature"),
    ),
    "thermal_response_tests": Spec(
        _with_common(
            _rows(
                [
                    "borehole_code",
                    "started_at",
                    "active_length",
                    "time",
                    "inlet_temperature",
                    "outlet_temperature",
                    "heating_power",
                ],
                ["", "", "m", "min", "°C", "°C", "kW"],
                ["YOS-1", "2015-04-01 09:00", 50, 0, 20.0, 19.0, 3.0],
                ["YOS-1", "2015-04-01 09:00", 50, 10, 22.0, 20.5, 3.0],
                ["YOS-1", "2015-04-01 09:00", 50, 20, 23.0, 21.5, 3.0],
                ["YOS-1", "2015-04-01 09:00", 50, 30, 24.0, 22.5, 3.0],
            )
        ),
        number="inlet_temperature",
        nonneg="time",
        date="started_at",
        choice=None,
        dup_field="time",
        code="borehole_code",
        required=(
            "borehole_code",
            "started_at",
            "active_length",
            "time",
            "inlet_temperature",
            "outlet_temperature",
            "heating_power",
        ),
    ),
    "pumping_tests": Spec(
        _with_common(_rows(*files.YOSHIOKA_STEP_TEST)),
        number="level",
        nonneg="rate",
        date="started_at",
        choice="kind",
        dup_field="time",
        code="borehole_code",
        required=("borehole_code", "kind", "started_at", "time", "rate", "level"),
    ),
    "water_chemistry": Spec(
        _with_common(
            _rows(
                [
                    "borehole_code",
                    "sampled_at",
                    "depth",
                    "ph",
                    "chloride",
                    "electrical_conductivity",
                ],
                ["", "", "m", "-", "mg/L", "mS/m"],
                ["YOS-1", "2015-05-01", 50, 7.2, 16, 38.6],
                ["YOS-1", "2015-06-01", 50, 7.1, "<0.05", 38.0],
            )
        ),
        number="electrical_conductivity",
        nonneg="depth",
        date="sampled_at",
        choice=None,
        dup_field="sampled_at",
        code="borehole_code",
        required=("borehole_code", "sampled_at"),
    ),
    "flow_readings": Spec(
        _with_common(
            _rows(
                ["borehole_code", "measured_at", "depth", "reading", "direction", "velocity"],
                ["", "", "m", "-", "°", "cm/min"],
                ["YOS-1", "2013-09-08 14:30", 39, 2, 37.9, 0.019],
                ["YOS-1", "2013-09-08 14:30", 45, 2, 40.1, 0.021],
            )
        ),
        number="direction",
        nonneg="depth",
        date="measured_at",
        choice=None,
        dup_field="measured_at",
        code="borehole_code",
        required=("borehole_code", "measured_at", "depth", "reading", "direction", "velocity"),
    ),
    "geological_units": Spec(
        _with_common(
            _rows(
                ["code", "name_en", "name_ja", "geometry"],
                ["", "", "", ""],
                ["hx-1", "Hostile unit 1", "吉岡層", _polygon(139.0, 36.44)],
                ["hx-2", "Hostile unit 2", "榛名火山噴出物", _polygon(139.02, 36.44)],
            )
        ),
        number=None,
        nonneg=None,
        date=None,
        choice=None,
        dup_field="code",
        code="code",
        required=("code", "name_en", "geometry"),
    ),
    "climate_stations": Spec(
        _with_common(
            _rows(
                [
                    "code",
                    "name",
                    "lon",
                    "lat",
                    "elevation",
                    "annual_mean_air_temperature",
                    "temperature_provenance",
                    "temperature_source",
                    "location_provenance",
                    "location_source",
                ],
                ["", "", "°", "°", "m", "°C", "", "", "", ""],
                [
                    "hx-yoshioka",
                    "Yoshioka",
                    139.0,
                    36.45,
                    160,
                    14.2,
                    "inferred",
                    "hx",
                    "source",
                    "hx",
                ],
                [
                    "hx-shibukawa",
                    "渋川",
                    139.02,
                    36.44,
                    180,
                    14.0,
                    "inferred",
                    "hx",
                    "source",
                    "hx",
                ],
            )
        ),
        number="annual_mean_air_temperature",
        nonneg=None,
        date=None,
        choice="temperature_provenance",
        dup_field="code",
        code="code",
        required=(
            "code",
            "name",
            "lon",
            "lat",
            "elevation",
            "annual_mean_air_temperature",
            "temperature_provenance",
            "temperature_source",
            "location_provenance",
            "location_source",
        ),
    ),
}

Table = list[list[str]]
Mutation = Callable[[Table, Spec], "tuple[Table, int | str | None, str | None] | None"]


def csv_bytes(rows: Table, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Table) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def base_table(kind: str) -> Table:
    return [list(r) for r in SPECS[kind].rows]


def _last(table: Table) -> int:
    """The spreadsheet row number of the last data row (header 1, units 2, data from 3)."""
    return len(table)


def _set(table: Table, column: str, value: str, row: int | None = None) -> Table:
    row = _last(table) if row is None else row
    table = [list(r) for r in table]
    table[row - 1][table[0].index(column)] = value
    return table


def _cell(attr: str, value: str, needs_required: bool = False) -> Mutation:
    def mutate(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
        column = getattr(spec, attr)
        if column is None or (needs_required and column not in spec.required):
            return None
        return _set(table, column, value), _last(table), column

    return mutate


def _swap_headers(a_attr: str, b_attr: str) -> Mutation:
    def mutate(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
        a, b = getattr(spec, a_attr), getattr(spec, b_attr)
        if a is None or b is None:
            return None
        table = [list(r) for r in table]
        i, j = table[0].index(a), table[0].index(b)
        table[0][i], table[0][j] = b, a
        table[1][i], table[1][j] = table[1][j], table[1][i]  # units follow the names
        # The numbers now sit under the code column and the codes under the number column.
        return table, 3, a

    return mutate


def _swap_lonlat(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
    if "lat" not in table[0]:
        return None
    table = [list(r) for r in table]
    i, j = table[0].index("lon"), table[0].index("lat")
    table[0][i], table[0][j] = "lat", "lon"
    return table, 3, "lat"


def _swap_header_units(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
    # The units become the header: columns missing, or the same unit twice (°, °).
    return [table[1], table[0], *table[2:]], ANY, ANY


def _drop_column(column: str) -> Mutation:
    def mutate(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
        if column not in spec.required:
            return None
        index = table[0].index(column)
        return [[c for i, c in enumerate(r) if i != index] for r in table], None, column

    return mutate


def _misspell(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
    column = spec.required[-1]
    table = [list(r) for r in table]
    table[0][table[0].index(column)] = column[:-1] + column[-1].upper() + " "
    return table, None, column


def _no_header(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
    return table[1:], ANY, ANY


def _no_unit_row(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
    if spec.number is None:
        return None
    return [table[0], *table[2:]], 2, spec.number


def _unit(value: str) -> Mutation:
    def mutate(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
        column = spec.number
        if column is None:
            return None
        table = [list(r) for r in table]
        table[1][table[0].index(column)] = value
        return table, 2, column

    return mutate


def _duplicate_column(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
    column = spec.required[0]
    index = table[0].index(column)
    return [[*r, r[index]] for r in table], None, None


def _longer_row(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
    table = [list(r) for r in table]
    table[-1] += ["extra", "cells", "=1+1"]
    return table, _last(table), ANY


def _duplicate_last(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
    return [*table, list(table[-1])], _last(table) + 1, spec.dup_field


def _twice(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
    # The second header row is read as data: it is where the refusal points.
    return [*table, *table], _last(table) + 1, ANY


def _blank_row(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
    table = [list(r) for r in table]
    table.insert(2, [""] * len(table[0]))
    return table, 3, spec.required[0]


def _coordinates(lon: str, lat: str, field: str) -> Mutation:
    def mutate(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
        if "lat" in table[0]:
            return _set(_set(table, "lon", lon), "lat", lat), _last(table), field
        if "geometry" in table[0]:
            try:
                polygon = _polygon(float(lon), float(lat))
            except ValueError:
                polygon = f"POLYGON(({lon} {lat}, {lon} {lat}))"
            return _set(table, "geometry", polygon), _last(table), "geometry"
        return None

    return mutate


def _geometry(value: str) -> Mutation:
    def mutate(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
        if "geometry" not in table[0]:
            return None
        return _set(table, "geometry", value), _last(table), "geometry"

    return mutate


NUMBER_VALUES = {
    "nan-inf": ["nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e400", "-1e400"],
    "huge-number": [
        "1e308",
        "-1e308",
        "1.7976931348623157e308",
        "1" + "0" * 400,
        "9" * 50,
        "123456789012345678901234567890.5",
        "1e309",
    ],
    "not-a-number": ["12abc", "0x1F", "1..2", "--5", "TRUE", "一二三", "4 5"],
}
DATE_VALUES = [
    "2013-13-45",
    "0000-00-00",
    "1500-01-01",
    "99999-01-01",
    "2013-02-30",
    "yesterday",
    "nan",
    "1e308",
    "2013-01-01 25:61",
]
FORMULAS = [
    '=HYPERLINK("http://evil.example/x","click")',
    "=cmd|' /C calc'!A0",
    "=1+1",
    "=SUM(A1:A2)",
]


def table_mutations() -> Iterator[tuple[str, str, Mutation]]:
    """(category, name, mutation) for every table-level mutation."""
    for category, values in NUMBER_VALUES.items():
        for value in values:
            yield category, f"number={value[:24]}", _cell("number", value)
    yield "not-a-number", "number=empty", _cell("number", "", needs_required=True)
    for value in ("-5", "-0.001", "-1e308"):
        yield "negative-depth", f"nonneg={value}", _cell("nonneg", value)
    for value in DATE_VALUES:
        yield "date-out-of-range", f"date={value}", _cell("date", value)
    for value in ("'; DROP TABLE wells_borehole; --", "<script>alert(1)</script>", "EXPLORATION"):
        yield "bad-choice", f"choice={value[:12]}", _cell("choice", value)
    for value in ("maybe", "2"):
        yield "bad-choice", f"published={value}", _cell_column("published", value)
    yield "text-too-long", "code=x*100000", _cell("code", "x" * 100_000)
    yield "text-too-long", "source=x*5000", _cell_column("source", "x" * 5000)
    for formula in FORMULAS:
        yield "formula", f"source={formula[:14]}", _cell_column("source", formula)
        yield "formula", f"number={formula[:14]}", _cell("number", formula)
    yield "swapped-columns", "number<->code", _swap_headers("number", "code")
    yield "swapped-columns", "lon<->lat", _swap_lonlat
    yield "swapped-columns", "header<->units", _swap_header_units
    yield "swapped-columns", "geometry<->code", _swap_geometry_code
    yield "missing-column", "no-header", _no_header
    yield "missing-column", "misspelled", _misspell
    for column in sorted({c for s in SPECS.values() for c in s.required}):
        yield "missing-column", f"drop={column}", _drop_column(column)
    yield "extra-column", "duplicate-column", _duplicate_column
    yield "extra-column", "longer-row", _longer_row
    yield "bad-unit", "unit=furlong", _unit("furlong")
    yield "bad-unit", "unit=K·m", _unit("K·m")
    yield "bad-unit", "no-unit-row", _no_unit_row
    yield "duplicated-rows", "last-row-twice", _duplicate_last
    yield "duplicated-rows", "file-twice", _twice
    yield "duplicated-rows", "blank-row", _blank_row
    for lon, lat, field in (
        ("0", "0", "lon"),
        ("139.01", "-36.44", "lon"),
        ("-139.01", "36.44", "lon"),
        ("127.68", "26.21", "lon"),  # Naha: another region
        ("139.01", "95", "lat"),
        ("181", "36.44", "lon"),
        ("139.01", "-90.0001", "lat"),
    ):
        yield "far-coordinates", f"lon={lon},lat={lat}", _coordinates(lon, lat, field)
    for name, value in (
        ("bowtie", "POLYGON((139 36.44, 139.02 36.46, 139.02 36.44, 139 36.46, 139 36.44))"),
        ("not-wkt", "hx-1"),
        ("linestring", "LINESTRING(139 36.44, 139.02 36.46)"),
        ("empty", "POLYGON EMPTY"),
        ("nan-coords", "POLYGON((nan nan, 1 1, 1 0, nan nan))"),
        ("unclosed", "POLYGON((139 36.44, 139.02 36.44, 139.02 36.46))"),
    ):
        yield "far-coordinates", f"geometry={name}", _geometry(value)


def _cell_column(column: str, value: str) -> Mutation:
    def mutate(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
        if column not in table[0]:
            return None
        return _set(table, column, value), _last(table), column

    return mutate


def _swap_geometry_code(table: Table, spec: Spec):  # type: ignore[no-untyped-def]
    if "geometry" not in table[0]:
        return None
    table = [list(r) for r in table]
    i, j = table[0].index("geometry"), table[0].index("code")
    table[0][i], table[0][j] = "code", "geometry"
    return table, 3, ANY  # the WKT is too long for a code; "hx-1" is no polygon


# --- byte-level mutations of a CSV -------------------------------------------------------------


def _cut_mid_last_row(data: bytes) -> bytes:
    """Cut right after the second separator of the last row (no final newline)."""
    body = data.rstrip(b"\n")
    start = body.rfind(b"\n") + 1
    first = body.index(b",", start)
    return body[: body.index(b",", first + 1) + 1]


def _invalid_bytes(table: Table, spec: Spec, raw: bytes) -> tuple[bytes, int, str]:
    """`raw` (not valid UTF-8) in the number (or code) cell of the last row of a UTF-8 file."""
    column = spec.number or spec.code
    marked = _set(table, column, "@@BAD@@")
    return csv_bytes(marked).replace(b"@@BAD@@", raw), _last(table), column


def csv_byte_cases(kind: str) -> Iterator[Hostile]:
    spec, table = SPECS[kind], base_table(kind)
    data = csv_bytes(table)
    name = f"{kind}.csv"

    def case(category: str, label: str, content: bytes, row=None, field=None) -> Hostile:  # type: ignore[no-untyped-def]
        return Hostile("survey", category, f"{kind}/csv/{label}", name, content, kind, row, field)

    yield case("truncated", "cut-mid-last-row", _cut_mid_last_row(data), _last(table), ANY)
    yield case("truncated", "header-and-units-only", csv_bytes(table[:2]))
    yield case("truncated", "header-only", csv_bytes(table[:1]))
    yield case("truncated", "first-7-bytes", data[:7])
    quoted = csv_bytes([*table[:-1], [*table[-1][:-1], 'a "quoted\nfield']])
    yield case("truncated", "cut-in-quoted-field", quoted[: quoted.rindex(b"quoted") + 3])
    yield case("encoding", "utf-16-le-bom", codecs.BOM_UTF16_LE + data.decode().encode("utf-16-le"))
    yield case("encoding", "utf-16-be-bom", codecs.BOM_UTF16_BE + data.decode().encode("utf-16-be"))
    yield case("encoding", "utf-16-no-bom", data.decode().encode("utf-16-le"))
    yield case("encoding", "utf-32", data.decode().encode("utf-32"))
    for label, raw in (
        ("xff-xfe", b"\xff\xfe"),
        ("lone-continuation", b"4\x80"),
        ("overlong", b"\xc0\xaf"),
        ("surrogate", b"\xed\xa0\x80"),
        ("cut-3-byte", b"\xe3\x81"),
        ("cp932-in-utf8", "５０".encode("cp932")),
    ):
        content, row, field = _invalid_bytes(table, spec, raw)
        if label == "cp932-in-utf8" and kind in ("temperature_logs", "flow_readings"):
            # Mixed encodings, with little UTF-8 (one °): read as cp1251, refused at the unit.
            row, field = ANY, ANY
        yield case("encoding", f"invalid-{label}", content, row, field)
    yield case("encoding", "nul-in-cell", csv_bytes(_set(table, spec.code, "YOS\x001")))


# --- XLSX-only cases: archive and XML inside ------------------------------------------------


def _xlsx_with(member: str, text: str) -> bytes:
    """A valid XLSX with `member` replaced by `text`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(base_table("boreholes"))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = text.encode() if info.filename == member else source.read(info.filename)
            archive.writestr(info.filename, data)
    return buffer.getvalue()


SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData>'
    "</worksheet>"
)


def _lying_zip_bomb() -> bytes:
    """An XLSX whose sheet member says it unpacks to 10 kB while its stream holds 64 MB."""
    bomb = bytearray(files.zip_bomb(64 * 1024 * 1024))
    archive = zipfile.ZipFile(io.BytesIO(bytes(bomb)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    # The member was written with zip64 extras; patch the sizes in the central directory's
    # zip64 extra field and in the local header's (both little-endian 8-byte sizes).
    small = struct.pack("<Q", 10_000)
    for marker in (b"\x01\x00\x10\x00", b"\x01\x00\x18\x00", b"\x01\x00\x1c\x00"):
        position = bytes(bomb).find(marker)
        while position >= 0:
            bomb[position + 4 : position + 12] = small
            position = bytes(bomb).find(marker, position + 1)
    del info
    return bytes(bomb)


def _many_members(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(count):
            archive.writestr(f"xl/m{number}.xml", "")
    return buffer.getvalue()


@cache
def big_zip_bomb() -> bytes:
    """Unpacks to 600 MB: over IMPORT_MAX_UNZIPPED_BYTES (500 MB) whatever the ratio limit."""
    return files.zip_bomb(600 * 1024 * 1024)


def _shp_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("b.shp", b"\0" * (32 * 1024 * 1024))
        archive.writestr("b.dbf", b"")
    return buffer.getvalue()


def xlsx_archive_cases() -> Iterator[Hostile]:
    def case(label: str, content: bytes, name: str = "boreholes.xlsx") -> Hostile:
        category = "xml-entities" if label.startswith("entity") else "zip-bomb"
        return Hostile("survey", category, f"xlsx/{label}", name, content, "boreholes")

    yield case("ratio-bomb-64mb", files.zip_bomb())
    yield case("size-bomb-600mb", big_zip_bomb())
    yield case("lying-sizes-bomb", _lying_zip_bomb())
    yield case("1001-members", _many_members(1001))
    yield case("shp-bomb", _shp_bomb(), "boreholes.zip")
    yield case("bomb-named-gpkg", files.zip_bomb(), "boreholes.gpkg")
    laughs = (
        '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    )
    for member in ("xl/worksheets/sheet1.xml", "xl/workbook.xml"):
        short = member.rsplit("/", 1)[-1]
        yield case(
            f"entity-laughs-{short}",
            _xlsx_with(member, SHEET_HEAD.format(doctype=laughs, text="&d;")),
        )
        yield case(
            f"entity-xxe-{short}",
            _xlsx_with(
                member,
                SHEET_HEAD.format(
                    doctype='<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                    text="&x;",
                ),
            ),
        )
    good = xlsx_bytes(base_table("boreholes"))
    for fraction in (0.5, 0.9):
        yield Hostile(
            "survey",
            "truncated",
            f"xlsx/cut-at-{fraction}",
            "boreholes.xlsx",
            good[: int(len(good) * fraction)],
            "boreholes",
        )
    yield Hostile(
        "survey",
        "truncated",
        "xlsx/empty-sheet",
        "boreholes.xlsx",
        xlsx_bytes([]),
        "boreholes",
    )
    yield Hostile(
        "survey", "truncated", "xlsx/first-100-bytes", "boreholes.xlsx", good[:100], "boreholes"
    )


# --- Kunijiban XML --------------------------------------------------------------------------

LAUGHS_DTD = (
    '<!DOCTYPE ボーリング情報 [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10)).replace(
        "&lol1;", "&lol;"
    )
    + "]>"
)


def _xml_with_doctype(xml: str, doctype: str, name_text: str) -> str:
    """The file with its DOCTYPE replaced and ボーリング名 holding `name_text`."""
    head, rest = xml.split("<!DOCTYPE", 1)
    rest = rest.split(">", 1)[1]
    body = head + doctype + rest
    start = body.index("<ボーリング名>") + len("<ボーリング名>")
    end = body.index("</ボーリング名>")
    return body[:start] + name_text + body[end:]


def _xml_replace(xml: str, tag: str, value: str) -> str:
    start = xml.index(f"<{tag}>") + len(f"<{tag}>")
    return xml[:start] + value + xml[xml.index(f"</{tag}>", start) :]


def xml_cases() -> Iterator[Hostile]:
    for version in ("2.10", "3.00", "4.00"):
        xml = files.kunijiban_xml(version).decode("cp932")
        depth_tag = "総削孔長" if version == "4.00" else "総掘進長"
        layer = {"2.10": "土質岩種区分", "3.00": "岩石土区分"}.get(
            version, "工学的地質区分名現場土質名"
        )
        name = f"boring-{version}.xml"

        def case(
            category, label, text, row=None, field=None, encoding="cp932", raw=None, name=name
        ):  # type: ignore[no-untyped-def]
            data = raw if raw is not None else text.encode(encoding)
            return Hostile(
                "survey", category, f"xml-{name[7:-4]}/{label}", name, data, "auto", row, field
            )

        entity_cases = {
            "billion-laughs": (LAUGHS_DTD, "&lol9;"),
            "quadratic-blowup": (
                f'<!DOCTYPE ボーリング情報 [<!ENTITY a "{"x" * 50_000}">]>',
                "&a;" * 1000,
            ),
            "xxe-file": (
                '<!DOCTYPE ボーリング情報 [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                "&x;",
            ),
            "xxe-http": (
                '<!DOCTYPE ボーリング情報 [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>',
                "&x;",
            ),
            "parameter-entity": (
                '<!DOCTYPE ボーリング情報 [<!ENTITY % d SYSTEM "file:///etc/passwd"> %d;]>',
                "Br-1",
            ),
            "internal-entity": ('<!DOCTYPE ボーリング情報 [<!ENTITY n "Br-9">]>', "&n;"),
            "xinclude": (
                "",
                '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                'href="file:///etc/passwd" parse="text"/>',
            ),
        }
        for label, (doctype, text) in entity_cases.items():
            row, field = (1, "code") if label == "xinclude" else (None, None)
            yield case("xml-entities", label, _xml_with_doctype(xml, doctype, text), row, field)
        encoded = xml.encode("cp932")
        yield case("truncated", "cut-half", "", raw=encoded[: len(encoded) // 2])
        yield case("truncated", "cut-before-end", "", raw=encoded[:-30])
        yield case("encoding", "utf8-says-shift-jis", xml, encoding="utf-8")
        yield case(
            "encoding",
            "utf16-says-shift-jis",
            "",
            raw=codecs.BOM_UTF16_LE + xml.encode("utf-16-le"),
        )
        yield case(
            "encoding",
            "invalid-byte",
            "",
            raw=encoded.replace("吉岡町".encode("cp932"), b"\xff\xff\xff"),
        )
        yield case("missing-column", "not-kunijiban", xml.replace("ボーリング情報", "Boring"))
        yield case("missing-column", "no-name", _xml_replace(xml, "ボーリング名", ""))
        yield case("not-a-number", "dms-garbage", _xml_replace(xml, "緯度_度", "三十六"), 1, "lat")
        yield case("far-coordinates", "lat-95", _xml_replace(xml, "緯度_度", "95"), 1, "lat")
        yield case("far-coordinates", "lon-0", _xml_replace(xml, "経度_度", "0"), 1, "lon")
        yield case("nan-inf", "lon-nan", _xml_replace(xml, "経度_秒", "nan"), 1, "lon")
        yield case("huge-number", "depth-1e308", _xml_replace(xml, depth_tag, "1e308"), 1, "depth")
        yield case("huge-number", "depth-1e400", _xml_replace(xml, depth_tag, "1e400"), 1, "depth")
        yield case(
            "negative-depth", "depth-negative", _xml_replace(xml, depth_tag, "-10"), 1, "depth"
        )
        yield case(
            "negative-depth",
            "layer-negative",
            _xml_replace(xml, f"{layer}_下端深度", "-0.5"),
            1,
            "bottom",
        )
        yield case(
            "not-a-number",
            "layer-garbage",
            _xml_replace(xml, f"{layer}_下端深度", "abc"),
            1,
            "bottom",
        )
        yield case(
            "not-a-number",
            "water-level-garbage",
            _xml_replace(xml, "孔内水位_孔内水位", "abc"),
            1,
            "depth_to_water",
        )
        yield case(
            "date-out-of-range",
            "date-13-45",
            _xml_replace(xml, "調査期間_開始年月日", "2013-13-45"),
            1,
            "drilled_on",
        )
        yield case(
            "date-out-of-range",
            "level-date",
            _xml_replace(xml, "孔内水位_測定年月日", "0000-00-00"),
            1,
            "measured_at",
        )


# --- LAS temperature logs ----------------------------------------------------------------------


def las_cases() -> Iterator[Hostile]:
    good = files.yoshioka_las().decode("ascii")

    def case(category, label, text, row=None, field=None, raw=None):  # type: ignore[no-untyped-def]
        data = raw if raw is not None else text.encode("ascii", "surrogateescape")
        return Hostile("survey", category, f"las/{label}", "log.las", data, "auto", row, field)

    yield case("truncated", "cut-mid-data", good[: good.rindex("51.00") + 3] + "\n")
    yield case("truncated", "no-data", good[: good.index("~A")])
    yield case("truncated", "header-only", good[: good.index("~Curve")])
    yield case("missing-column", "no-temp-curve", good.replace(" TEMP.", " TMPX."))
    yield case(
        "bad-unit",
        "unit-furlong",
        files.yoshioka_las(temperature_unit="FURL").decode(),
        2,
        "temperature",
    )
    yield case("missing-column", "no-well", good.replace("YOS-1", ""), 1, "borehole_code")
    yield case(
        "missing-column", "unknown-well", good.replace("YOS-1", "NOPE-9"), 1, "borehole_code"
    )
    yield case(
        "date-out-of-range", "bad-date", good.replace("2013-09-06", "2013-13-45"), 1, "measured_at"
    )
    yield case("nan-inf", "nan-temp", good.replace("  16.70", "    nan"), 4, "temperature")
    yield case("nan-inf", "inf-temp", good.replace("  16.70", "    inf"), 4, "temperature")
    yield case("huge-number", "huge-temp", good.replace("  16.70", " 1e308"), 4, "temperature")
    yield case("negative-depth", "negative-depth", good.replace("    7.50", "   -7.50"), 1, "depth")
    yield case(
        "duplicated-rows", "repeated-depth", good.replace("    8.50", "    7.50"), 2, "depth"
    )
    yield case("encoding", "utf16", "", raw=codecs.BOM_UTF16_LE + good.encode("utf-16-le"))
    yield case(
        "encoding", "garbage-bytes", "", raw=good.encode().replace(b"16.70", b"\xff\xfe\xfd")
    )


# --- GIS: GeoJSON, GPKG, zipped shapefile ---------------------------------------------------


def _feature(geometry: dict | None, **properties: object) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _point(lon: object, lat: object) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def _square(lon: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def borehole_features() -> list[dict]:
    return [
        _feature(_point(139.0, 36.45), code="GX-1", depth=30.0, purpose="exploration"),
        _feature(_point(139.02, 36.44), code="GX-2", depth=45.5, purpose="exploration"),
    ]


def _collection(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def gis_feature_mutations(
    polygons: bool,
) -> Iterator[tuple[str, str, Callable[[list[dict]], list[dict]], int | str | None, str | None]]:
    """(category, label, features → features, row, field) for boreholes or district polygons."""

    def geometry(value: dict | None) -> Callable[[list[dict]], list[dict]]:
        return lambda fs: [fs[0], {**fs[1], "geometry": value}]

    def prop(name: str, value: object) -> Callable[[list[dict]], list[dict]]:
        return lambda fs: [fs[0], {**fs[1], "properties": {**fs[1]["properties"], name: value}}]

    shape = _square if polygons else _point
    geometry_field = "geometry" if polygons else "lon"
    for lon, lat in ((0, 0), (-139.01, 36.44), (127.68, 26.21), (139.01, -36.44)):
        yield "far-coordinates", f"at-{lon},{lat}", geometry(shape(lon, lat)), 2, geometry_field
    yield "far-coordinates", "lat-95", geometry(shape(139.01, 95)), 2, ANY
    yield "far-coordinates", "lon-400", geometry(shape(400, 36.44)), 2, ANY
    yield "huge-number", "coords-1e308", geometry(shape(1e308, 1e308)), 2, ANY
    yield (
        "far-coordinates",
        "linestring",
        geometry({"type": "LineString", "coordinates": [[139, 36.44], [139.01, 36.45]]}),
        2,
        ANY,
    )
    if polygons:
        bowtie = {
            "type": "Polygon",
            "coordinates": [
                [[139, 36.44], [139.02, 36.46], [139.02, 36.44], [139, 36.46], [139, 36.44]]
            ],
        }
        yield "far-coordinates", "bowtie", geometry(bowtie), 2, "geometry"
        yield "far-coordinates", "point-not-polygon", geometry(_point(139.01, 36.44)), 2, "geometry"
        yield "missing-column", "null-geometry", geometry(None), 2, "geometry"
        yield "missing-column", "no-code", prop("code", None), 2, "code"
        yield "duplicated-rows", "same-code", prop("code", "D-1"), 2, "code"
        yield "text-too-long", "code-formula", prop("code", "=cmd|' /C calc'!A0"), 2, "code"
    else:
        yield "negative-depth", "depth-negative", prop("depth", -3.0), 2, "depth"
        yield "huge-number", "depth-1e308", prop("depth", 1e308), 2, "depth"
        yield "nan-inf", "depth-nan-string", prop("depth", "nan"), 2, "depth"
        yield "missing-column", "no-code", prop("code", None), 2, "code"
        yield "duplicated-rows", "same-code", prop("code", "GX-1"), 2, "code"
        yield "bad-choice", "purpose", prop("purpose", "<script>"), 2, "purpose"
        yield "formula", "code-formula", prop("name", "=cmd|' /C calc'!A0"), 2, "name"
        yield (
            "missing-column",
            "null-geometry-no-depth",
            lambda fs: [fs[0], _feature(None, code="GX-2")],
            2,
            "depth",
        )


def geojson_text_cases(name: str, features: list[dict]) -> Iterator[tuple[str, str, bytes]]:
    """(category, label, bytes) of GeoJSON broken as text."""
    data = _collection(features)
    yield "truncated", "cut-half", data[: len(data) // 2]
    yield "truncated", "cut-last-brace", data[:-1]
    yield "truncated", "no-features", _collection([])
    yield "nan-inf", "nan-literal", data.replace(b"139.02", b"NaN", 1)
    yield "nan-inf", "infinity-literal", data.replace(b"139.02", b"Infinity", 1)
    yield "huge-number", "1e400-literal", data.replace(b"139.02", b"1e400", 1)
    yield "huge-number", "long-digits", data.replace(b"139.02", b"1" + b"0" * 400, 1)
    yield "encoding", "utf16", codecs.BOM_UTF16_LE + data.decode().encode("utf-16-le")
    yield "encoding", "invalid-bytes", data.replace(b"139.02", b"\xff\xfe", 1)
    yield "missing-column", "not-a-collection", b'{"type": "Topology", "objects": {}}'


def gpkg_bytes(features: list[dict]) -> bytes:
    import geopandas as gpd

    frame = gpd.GeoDataFrame.from_features(features, crs=4326)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.gpkg"
        frame.to_file(path, driver="GPKG")
        return path.read_bytes()


def gpkg_byte_cases(features: list[dict]) -> Iterator[tuple[str, str, bytes]]:
    data = gpkg_bytes(features)
    yield "truncated", "cut-half", data[: len(data) // 2]
    yield "truncated", "header-only", data[:100]
    yield "binary-garbage", "header-then-garbage", data[:16] + random.Random(SEED).randbytes(8192)
    corrupt = bytearray(data)
    corrupt[1024:4096] = b"\xff" * 3072
    yield "binary-garbage", "pages-overwritten", bytes(corrupt)


def gis_cases() -> Iterator[Hostile]:
    for category, label, mutate, row, field in gis_feature_mutations(polygons=False):
        features = mutate(borehole_features())
        yield Hostile(
            "survey",
            category,
            f"geojson/{label}",
            "b.geojson",
            _collection(features),
            "auto",
            row,
            field,
        )
        if label not in (
            "lat-95",
            "lon-400",
            "coords-1e308",
            "depth-nan-string",
            "null-geometry-no-depth",
        ):
            yield Hostile(
                "survey",
                category,
                f"gpkg/{label}",
                "b.gpkg",
                gpkg_bytes(features),
                "auto",
                row,
                field,
            )
    for category, label, data in geojson_text_cases("b.geojson", borehole_features()):
        yield Hostile("survey", category, f"geojson-text/{label}", "b.geojson", data, "auto")
    for category, label, data in gpkg_byte_cases(borehole_features()):
        yield Hostile("survey", category, f"gpkg-bytes/{label}", "b.gpkg", data, "auto")


# --- whole-file cases: empty, oversized, garbage, wrong extension -------------------------------

EXTENSIONS = (".csv", ".txt", ".xlsx", ".xml", ".las", ".geojson", ".json", ".gpkg", ".zip")


def garbage() -> dict[str, bytes]:
    rng = random.Random(SEED)
    return {
        "random-bytes": rng.randbytes(20_000),
        "high-bytes-no-nul": bytes(rng.randrange(0x80, 0x100) for _ in range(20_000)),
        "png": b"\x89PNG\r\n\x1a\n" + rng.randbytes(2000),
        "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + rng.randbytes(2000),
        "elf": b"\x7fELF\x02\x01\x01" + b"\0" * 9 + rng.randbytes(2000),
        "gzip": b"\x1f\x8b\x08\x00" + rng.randbytes(2000),
        "sqlite-not-gpkg": b"SQLite format 3\x00" + rng.randbytes(4096),
        "zip-of-nothing": _empty_zip(),
    }


def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def whole_file_cases(target: str, extensions: tuple[str, ...], limit: int) -> Iterator[Hostile]:
    stem = {"survey": "survey", "building_stock": "stock", "districts": "districts"}[target]

    def case(category: str, label: str, name: str, data: bytes, size: int | None = None) -> Hostile:
        return Hostile(target, category, f"{target}/{label}", name, data, "auto", size=size)

    for ext in extensions:
        yield case("empty", f"0-bytes{ext}", f"{stem}{ext}", b"")
        yield case("oversized", f"over-limit{ext}", f"{stem}{ext}", b"", size=limit + 1)
    yield case("empty", "newlines-only", f"{stem}{extensions[0]}", b"\n\n\n")
    yield case("empty", "spaces-only", f"{stem}{extensions[0]}", b"    ")
    yield case("empty", "bom-only", f"{stem}{extensions[0]}", codecs.BOM_UTF8)
    for label, data in garbage().items():
        for ext in extensions:
            yield case("binary-garbage", f"{label}{ext}", f"{stem}{ext}", data)
    for ext in (".exe", "", ".csv.exe", ".xlsm", ".xls", ".php", ".html"):
        yield case(
            "wrong-extension", f"name{ext or '-none'}", f"{stem}{ext}", b"code,depth\n,m\nA,1\n"
        )


def wrong_extension_cases(kind: str) -> Iterator[Hostile]:
    """A valid table under a name that says something else, and the other way round."""
    table = base_table(kind)
    contents = {"csv": csv_bytes(table), "xlsx": xlsx_bytes(table)}
    for found, data in contents.items():
        for ext in (".csv", ".xlsx", ".xml", ".las", ".geojson", ".gpkg", ".zip"):
            if ext.lstrip(".") == found:
                continue
            yield Hostile(
                "survey",
                "wrong-extension",
                f"{kind}/{found}-named{ext}",
                f"{kind}{ext}",
                data,
                kind,
            )


# --- the survey corpus --------------------------------------------------------------------------


def survey_table_cases() -> Iterator[Hostile]:
    for kind, spec in SPECS.items():
        for category, label, mutate in table_mutations():
            result = mutate(base_table(kind), spec)
            if result is None:
                continue
            table, row, field = result
            # XLSX gets every mutation but the long lists of bad values (one of each).
            many = [*NUMBER_VALUES.values(), DATE_VALUES]
            thinned = any(label.split("=", 1)[-1] in [v[:24] for v in vs[1:]] for vs in many)
            for fmt in ("csv",) if thinned else ("csv", "xlsx"):
                data = csv_bytes(table) if fmt == "csv" else xlsx_bytes(table)
                yield Hostile(
                    "survey",
                    category,
                    f"{kind}/{fmt}/{label}",
                    f"{kind}.{fmt}",
                    data,
                    kind,
                    row,
                    field,
                )
        yield from csv_byte_cases(kind)
        if kind in ("boreholes", "geological_layers", "water_chemistry"):
            yield from wrong_extension_cases(kind)
        # The same mutations in a Shift_JIS (cp932) file: a legitimate encoding, hostile content.
        for label, value in (("nan", "nan"), ("1e308", "1e308"), ("date", "2013-13-45")):
            column = spec.number if label != "date" else spec.date
            if column is None:
                continue
            table = _set(base_table(kind), column, value)
            yield Hostile(
                "survey",
                "encoding",
                f"{kind}/cp932/{label}",
                f"{kind}.csv",
                csv_bytes(table, "cp932"),
                kind,
                _last(table),
                column,
            )


def survey_corpus(limit: int) -> list[Hostile]:
    corpus = [
        *survey_table_cases(),
        *xlsx_archive_cases(),
        *xml_cases(),
        *las_cases(),
        *gis_cases(),
        *whole_file_cases("survey", EXTENSIONS, limit),
    ]
    _check_unique(corpus)
    return corpus


# --- the planning corpus ----------------------------------------------------------------------

STOCK_HEADER = ["district_code", "use", "floor_area_m2", "source"]


def stock_table(district: str) -> Table:
    return [
        STOCK_HEADER,
        [district, "office", "12000", "city survey 2024"],
        [district, "school", "8000", "city survey 2024"],
    ]


def stock_cases(district: str, limit: int) -> list[Hostile]:
    cases: list[Hostile] = []

    def add(category: str, label: str, data: bytes, row=None, field=None, name="stock.csv") -> None:  # type: ignore[no-untyped-def]
        cases.append(
            Hostile("building_stock", category, f"stock/{label}", name, data, "", row, field)
        )

    def cell(column: str, value: str) -> Table:
        table = [list(r) for r in stock_table(district)]
        table[-1][STOCK_HEADER.index(column)] = value
        return table

    for category, values in NUMBER_VALUES.items():
        for value in values:
            add(
                category,
                f"area={value[:24]}",
                csv_bytes(cell("floor_area_m2", value)),
                3,
                "floor_area_m2",
            )
    for value in ("-5", "-0.001", "-1e308", ""):
        add(
            "negative-depth",
            f"negative-area={value}",
            csv_bytes(cell("floor_area_m2", value)),
            3,
            "floor_area_m2",
        )
    for value in ("'; DROP TABLE planning_buildingstock; --", "<script>", "OFFICE", ""):
        add("bad-choice", f"use={value[:10]}", csv_bytes(cell("use", value)), 3, "use")
    for value in ("99999", "../../etc/passwd", ""):
        add(
            "bad-choice",
            f"district={value[:10]}",
            csv_bytes(cell("district_code", value)),
            3,
            "district_code",
        )
    for formula in FORMULAS:
        add("formula", f"source={formula[:14]}", csv_bytes(cell("source", formula)), 3, "source")
        add(
            "formula",
            f"area={formula[:14]}",
            csv_bytes(cell("floor_area_m2", formula)),
            3,
            "floor_area_m2",
        )
    add("text-too-long", "source=x*5000", csv_bytes(cell("source", "x" * 5000)), 3, "source")
    table = stock_table(district)
    swapped = [["use", "district_code", "floor_area_m2", "source"], *table[1:]]
    add("swapped-columns", "use<->district", csv_bytes(swapped), 2, ANY)
    swapped = [["district_code", "use", "source", "floor_area_m2"], *table[1:]]
    add("swapped-columns", "area<->source", csv_bytes(swapped), 2, ANY)
    for column in STOCK_HEADER:
        index = STOCK_HEADER.index(column)
        dropped = [[c for i, c in enumerate(r) if i != index] for r in table]
        add("missing-column", f"drop={column}", csv_bytes(dropped), None, column)
    add("missing-column", "no-header", csv_bytes(table[1:]), None, ANY)
    add("extra-column", "duplicate-column", csv_bytes([[*r, r[2]] for r in table]), ANY, ANY)
    add("extra-column", "longer-row", csv_bytes([*table[:-1], [*table[-1], "x", "=1+1"]]), 3, ANY)
    add("duplicated-rows", "last-row-twice", csv_bytes([*table, table[-1]]), 4, "use")
    add("duplicated-rows", "file-twice", csv_bytes([*table, *table]), 4, ANY)
    add("duplicated-rows", "blank-row", csv_bytes([table[0], [""] * 4, *table[1:]]), 2, ANY)
    data = csv_bytes(table)
    add("truncated", "cut-mid-last-row", _cut_mid_last_row(data), 3, ANY)
    add("truncated", "header-only", csv_bytes(table[:1]))
    add("truncated", "first-7-bytes", data[:7])
    quoted = csv_bytes([*table[:-1], [*table[-1][:-1], 'a "quoted\nfield']])
    add("truncated", "cut-in-quoted-field", quoted[: quoted.rindex(b"quoted") + 3], ANY, ANY)
    add("encoding", "utf-16-le-bom", codecs.BOM_UTF16_LE + data.decode().encode("utf-16-le"))
    add("encoding", "utf-16-no-bom", data.decode().encode("utf-16-le"))
    add("encoding", "utf-32", data.decode().encode("utf-32"))
    for label, raw in (
        ("xff-xfe", b"\xff\xfe"),
        ("surrogate", b"\xed\xa0\x80"),
        ("cut-3-byte", b"\xe3\x81"),
    ):
        marked = csv_bytes(cell("floor_area_m2", "@@BAD@@")).replace(b"@@BAD@@", raw)
        add("encoding", f"invalid-{label}", marked, 3, "floor_area_m2")
    add("encoding", "nul-in-cell", csv_bytes(cell("source", "a\x00b")))
    add(
        "encoding",
        "cp932-1e308",
        csv_bytes(cell("floor_area_m2", "1e308"), "cp932"),
        3,
        "floor_area_m2",
    )
    for ext, content in (
        ("xlsx", xlsx_bytes(table)),
        ("geojson", _collection([])),
        ("xml", b"<a/>"),
    ):
        add("wrong-extension", f"{ext}-named-csv", content)
    add("zip-bomb", "bomb-named-csv", files.zip_bomb())
    add("xml-entities", "laughs-named-csv", files.BILLION_LAUGHS)
    cases += whole_file_cases("building_stock", (".csv", ".txt"), limit)
    _check_unique(cases)
    return cases


def district_features() -> list[dict]:
    return [
        _feature(_square(139.0, 36.44), code="D-1", name="Hostile 1"),
        _feature(_square(139.02, 36.44), code="D-2", name="Hostile 2"),
    ]


def district_cases(limit: int) -> list[Hostile]:
    cases: list[Hostile] = []

    def add(category: str, label: str, name: str, data: bytes, row=None, field=None) -> None:  # type: ignore[no-untyped-def]
        cases.append(
            Hostile("districts", category, f"districts/{label}", name, data, "", row, field)
        )

    for category, label, mutate, row, field in gis_feature_mutations(polygons=True):
        features = mutate(district_features())
        add(category, f"geojson/{label}", "districts.geojson", _collection(features), row, field)
        if label not in ("lat-95", "lon-400", "coords-1e308", "null-geometry"):
            add(category, f"gpkg/{label}", "districts.gpkg", gpkg_bytes(features), row, field)
    for category, label, data in geojson_text_cases("districts.geojson", district_features()):
        add(category, f"geojson-text/{label}", "districts.geojson", data)
    for category, label, data in gpkg_byte_cases(district_features()):
        add(category, f"gpkg-bytes/{label}", "districts.gpkg", data)
    add("zip-bomb", "bomb-named-geojson", "districts.geojson", files.zip_bomb())
    add("zip-bomb", "shp-bomb", "districts.zip", _shp_bomb())
    add("zip-bomb", "size-bomb-named-gpkg", "districts.gpkg", big_zip_bomb())
    add("xml-entities", "laughs-named-geojson", "districts.geojson", files.BILLION_LAUGHS)
    add("wrong-extension", "csv-named-geojson", "districts.geojson", b"code,name\nD-1,x\n")
    add("wrong-extension", "geojson-named-gpkg", "districts.gpkg", _collection(district_features()))
    add(
        "wrong-extension",
        "gpkg-named-geojson",
        "districts.geojson",
        gpkg_bytes(district_features()),
    )
    cases += whole_file_cases("districts", (".geojson", ".json", ".gpkg"), limit)
    _check_unique(cases)
    return cases


def _check_unique(cases: list[Hostile]) -> None:
    seen: set[str] = set()
    for case in cases:
        assert case.case not in seen, f"two corpus entries are called {case.case}"
        seen.add(case.case)
