"""planning's survey kinds, registered with ingest: a building-stock table (floor area by use per
district) and a district layer (GeoJSON or GPKG).

They are uploaded on the planning page, which asks what a district layer needs (its code and
name fields, kept as the batch's options), so they are not offered on the generic upload page.
Their files are not in the template shape (no unit row), so each kind reads its file itself.
Otherwise they are uploads like any other: a batch with its job, all or nothing (every bad row
reported with its file, row and field), and a rollback.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.utils.translation import gettext_noop as N_

from core.models import District
from estimates.domain.loads import BUILDING_USES
from ingest import registry
from ingest.errors import RefusedFile, RowError
from ingest.readers import decode_text, formula_cells, sniff_format
from ingest.registry import Context, Outcome, Record, SurveyKind
from ingest.sources import vector_table
from planning.models import BuildingStock

DISTRICT_CODE_MAX = District._meta.get_field("code").max_length  # 20
STOCK_COLUMNS = ("district_code", "use", "floor_area_m2", "source")


def parse_building_stock(data: bytes, ctx: Context) -> Outcome:
    """A CSV of district_code, use, floor_area_m2, source (header row, then data from row 2)."""
    file_name, region = ctx.file_name, ctx.region
    text, _encoding = decode_text(data, file_name)
    lines = csv.reader(io.StringIO(text), strict=True)
    try:
        table = list(lines)
    except csv.Error as exc:  # an unclosed quote, ...
        return _refused(
            RowError(
                file_name,
                lines.line_num,
                "",
                "",
                N_("The CSV file could not be read: %(reason)s"),
                {"reason": str(exc)[:200]},
            )
        )
    header = [c.strip() for c in table[0]] if table else []
    twice = sorted({c for c in header if c and header.count(c) > 1})
    if twice:
        return _refused(
            RowError(
                file_name,
                1,
                twice[0],
                "",
                N_("These columns appear twice: %(columns)s."),
                {"columns": ", ".join(twice)},
            )
        )
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in STOCK_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return _refused(
            RowError(
                file_name,
                None,
                ", ".join(missing),
                "",
                N_("Missing columns: %(columns)s."),
                {"columns": ", ".join(missing)},
            )
        )
    codes = {d.code: d for d in District.objects.filter(region=region)}
    rows, errors, seen = [], formula_cells(table, file_name), {}
    for number, row in enumerate(reader, start=2):  # row 1 is the header
        if None in row:  # more cells than the header names
            errors.append(
                RowError(
                    file_name,
                    number,
                    "",
                    ", ".join(row[None])[:100],
                    N_("This row has more cells than the header has columns."),
                )
            )
        district = codes.get((row["district_code"] or "").strip())
        if district is None:
            errors.append(
                RowError(
                    file_name,
                    number,
                    "district_code",
                    row["district_code"],
                    N_("No district of this region has this code."),
                )
            )
        use = (row["use"] or "").strip()
        if use not in BUILDING_USES:
            errors.append(
                RowError(
                    file_name,
                    number,
                    "use",
                    use,
                    N_("The use must be one of: %(uses)s."),
                    {"uses": ", ".join(BUILDING_USES)},
                )
            )
        try:
            area = float((row["floor_area_m2"] or "").replace(",", ""))
            if not area >= 0 or area > 1e9:
                raise ValueError
        except ValueError:
            errors.append(
                RowError(
                    file_name,
                    number,
                    "floor_area_m2",
                    row["floor_area_m2"],
                    N_("The floor area must be a number of m² from 0 to 10⁹."),
                )
            )
            area = None
        source = (row["source"] or "").strip()
        if not source:
            errors.append(
                RowError(
                    file_name, number, "source", "", N_("Say where the floor area comes from.")
                )
            )
        elif len(source) > 300:
            errors.append(
                RowError(file_name, number, "source", source[:100], N_("This text is too long."))
            )
        key = ((row["district_code"] or "").strip(), use)
        if key in seen:
            errors.append(
                RowError(
                    file_name,
                    number,
                    "use",
                    use,
                    N_("This district and use are already in row %(other)s."),
                    {"other": seen[key]},
                )
            )
        seen.setdefault(key, number)
        rows.append((number, district, use, area, source))
    if not rows and not errors:
        errors.append(RowError(file_name, None, "", "", N_("The file has no data rows.")))
    if errors:
        return Outcome([], errors, [])
    records = [
        Record(
            BuildingStock,
            {"district_id": district.pk, "use": use},
            {"floor_area_m2": area, "source": source},
            number,
        )
        for number, district, use, area, source in rows
    ]
    return Outcome(records, [], [])


def parse_districts(data: bytes, ctx: Context) -> Outcome:
    """Districts from GeoJSON or GPKG polygons, by code: new codes added, known ones reshaped.
    Every feature must be a polygon touching the region and carry a code; the code and name
    are read from the fields the steward named (options code_field, name_field)."""
    file_name, region = ctx.file_name, ctx.region
    code_field = ctx.options.get("code_field") or "code"
    name_field = ctx.options.get("name_field") or "name"
    file_format = sniff_format(data, file_name)
    if file_format not in ("geojson", "gpkg"):
        raise RefusedFile(file_name, N_("A district layer is GeoJSON or GPKG."))
    table = vector_table(data, file_name, file_format)
    features: list[dict[str, Any]] = table.frame.to_dict("records")
    errors, parsed, seen = list(table.cell_errors), [], set()
    for number, values in zip(table.row_numbers, features, strict=True):
        code = str(values.get(code_field, "") or "").strip()
        if not code:
            errors.append(
                RowError(file_name, number, code_field, "", N_("Every district needs a code."))
            )
            continue
        if len(code) > DISTRICT_CODE_MAX or "\x00" in code:
            errors.append(
                RowError(
                    file_name,
                    number,
                    code_field,
                    code[:40],
                    N_("A district code is at most 20 characters (a JIS or ISO 3166-2 code)."),
                )
            )
            continue
        if code in seen:
            errors.append(
                RowError(file_name, number, code_field, code, N_("This code appears twice."))
            )
        seen.add(code)
        wkt = values.get("geometry")
        if not wkt:
            errors.append(
                RowError(file_name, number, "geometry", "", N_("A district must be a polygon."))
            )
            continue
        geometry = GEOSGeometry(wkt, srid=4326)
        if geometry.geom_type == "Polygon":
            geometry = MultiPolygon(geometry, srid=4326)
        if not geometry.valid or not geometry.intersects(region.boundary):
            errors.append(
                RowError(
                    file_name,
                    number,
                    "geometry",
                    code,
                    N_("The polygon is invalid or outside the region."),
                )
            )
            continue
        parsed.append((number, code, str(values.get(name_field, "") or "")[:200], geometry))
    if errors:
        return Outcome([], errors, [])
    records = [
        Record(District, {"region": region, "code": code}, {"geometry": g, "name_en": name}, row)
        for row, code, name, g in parsed
    ]
    return Outcome(records, [], [])


def _refused(error: RowError) -> Outcome:
    return Outcome([], [error], [])


KINDS = (
    SurveyKind(
        "building_stock",
        N_("Building stock"),
        (BuildingStock,),
        parse=parse_building_stock,
        offered=False,
        publishable=False,
    ),
    SurveyKind(
        "districts",
        N_("District layer"),
        (District,),
        parse=parse_districts,
        offered=False,
        publishable=False,
    ),
)


def register() -> None:
    """Called from PlanningConfig.ready()."""
    for kind in KINDS:
        registry.register(kind)
