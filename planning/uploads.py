"""A steward's uploads for the district comparison: a building-stock table (floor area by use
per district) and a district layer (GeoJSON or GPKG). All or nothing: every bad row is
reported with its file, row and field, and then nothing is written."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import transaction
from django.utils.translation import gettext_noop as N_

from core.models import District, Region
from estimates.domain.loads import BUILDING_USES
from planning.models import BuildingStock
from wells.imports.errors import RefusedFile, RowError
from wells.imports.readers import check_size, decode_text, formula_cells, sniff_format
from wells.imports.sources import vector_table

STOCK_COLUMNS = ("district_code", "use", "floor_area_m2", "source")


def import_building_stock(
    region: Region, data: bytes, file_name: str, size: int | None = None
) -> tuple[int, list[RowError]]:
    """(rows written, errors); with any error, nothing is written. `size`: the upload's size,
    when the caller has not read a file over the limit."""
    try:
        check_size(len(data) if size is None else size, file_name)
        text, _encoding = decode_text(data, file_name)
        lines = csv.reader(io.StringIO(text), strict=True)
        table = list(lines)
    except RefusedFile as exc:
        return 0, [exc.error]
    except csv.Error as exc:  # an unclosed quote, ...
        return 0, [
            RowError(
                file_name,
                lines.line_num,
                "",
                "",
                N_("The CSV file could not be read: %(reason)s"),
                {"reason": str(exc)[:200]},
            )
        ]
    header = [c.strip() for c in table[0]] if table else []
    twice = sorted({c for c in header if c and header.count(c) > 1})
    if twice:
        return 0, [
            RowError(
                file_name,
                1,
                twice[0],
                "",
                N_("These columns appear twice: %(columns)s."),
                {"columns": ", ".join(twice)},
            )
        ]
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in STOCK_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return 0, [
            RowError(
                file_name,
                None,
                ", ".join(missing),
                "",
                N_("Missing columns: %(columns)s."),
                {"columns": ", ".join(missing)},
            )
        ]
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
        rows.append((district, use, area, source))
    if not rows and not errors:
        errors.append(RowError(file_name, None, "", "", N_("The file has no data rows.")))
    if errors:
        return 0, errors
    with transaction.atomic():
        for district, use, area, source in rows:
            BuildingStock.objects.update_or_create(
                district=district, use=use, defaults={"floor_area_m2": area, "source": source}
            )
    return len(rows), []


def import_districts(
    region: Region,
    data: bytes,
    file_name: str,
    code_field: str,
    name_field: str,
    size: int | None = None,
) -> tuple[int, list[RowError]]:
    """Districts from GeoJSON or GPKG polygons, by code: new codes added, known ones reshaped.
    Every feature must be a polygon touching the region and carry a code."""
    try:
        check_size(len(data) if size is None else size, file_name)
        file_format = sniff_format(data, file_name)
        if file_format not in ("geojson", "gpkg"):
            raise RefusedFile(file_name, N_("A district layer is GeoJSON or GPKG."))
        table = vector_table(data, file_name, file_format)
    except RefusedFile as exc:
        return 0, [exc.error]
    features: list[dict[str, Any]] = table.frame.to_dict("records")
    errors, parsed, seen = list(table.cell_errors), [], set()
    for number, values in zip(table.row_numbers, features, strict=True):
        code = str(values.get(code_field, "") or "").strip()
        if not code:
            errors.append(
                RowError(file_name, number, code_field, "", N_("Every district needs a code."))
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
        parsed.append((code, str(values.get(name_field, "") or "")[:200], geometry))
    if errors:
        return 0, errors
    with transaction.atomic():
        for code, name, geometry in parsed:
            District.objects.update_or_create(
                region=region, code=code, defaults={"geometry": geometry, "name_en": name}
            )
    return len(parsed), []
