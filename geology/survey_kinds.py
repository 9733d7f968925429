"""geology's survey kind, registered with ingest: geological unit polygons (from a GIS file, or
WKT in a table)."""

from __future__ import annotations

from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon
from django.utils.translation import gettext_noop as N_

from geology.choices import Lithology
from geology.models import GeologicalUnit
from ingest import registry
from ingest.columns import BOOL, CHOICE, TEXT, Column, Parsed
from ingest.errors import RowError
from ingest.kinds import COMMON, clean_rows, common
from ingest.registry import Context, Outcome, Record, SurveyKind

UNIT_COLUMNS = (
    # Gunma's Haruna slope, where the other templates' example borehole (YOS-1) is
    Column(
        "code", TEXT, help=N_("unique within the region"), example="haruna-volcanic", max_length=60
    ),
    Column("name_en", TEXT, example="Haruna volcanic products"),
    Column("name_ja", TEXT, required=False, example="榛名火山噴出物"),
    Column("name_ru", TEXT, required=False),
    Column("name_tg", TEXT, required=False),
    Column("age", TEXT, required=False, max_length=100, example="Quaternary"),
    Column(
        "dominant_lithology",
        CHOICE,
        required=False,
        choices=tuple(Lithology.values),
        example="sandy_gravel",
    ),
    Column("schematic", BOOL, required=False, help=N_("drawn from a description"), example="true"),
    Column(
        "geometry",
        TEXT,
        help=N_("polygon (from the GIS file)"),
        max_length=50_000_000,
        example="POLYGON((138.99 36.43, 139.03 36.43, 139.03 36.47, 138.99 36.47, 138.99 36.43))",
    ),
    *COMMON,
)


def build_units(parsed: Parsed, ctx: Context) -> Outcome:
    """Geological unit polygons; each must be valid and overlap the region."""
    cells, errors = parsed.cells, []
    for index in parsed.frame.index[parsed.frame["code"].duplicated(keep="first")]:
        errors.append(
            RowError(
                ctx.file_name,
                parsed.row_numbers[index],
                "code",
                cells[index]["code"],
                N_("This code is repeated in another row."),
            )
        )
    region_outline = ctx.region.boundary.prepared
    records = []
    for i in clean_rows(parsed, errors):
        try:
            geometry = GEOSGeometry(cells[i]["geometry"], srid=4326)
        except (ValueError, TypeError, GEOSException):
            geometry = None
        if geometry is None or geometry.geom_type not in ("Polygon", "MultiPolygon"):
            errors.append(
                RowError(
                    ctx.file_name,
                    parsed.row_numbers[i],
                    "geometry",
                    str(cells[i]["geometry"])[:100],
                    N_("This is not a polygon (write it as WKT, or upload a GIS file)."),
                )
            )
            continue
        if not geometry.valid:
            errors.append(
                RowError(
                    ctx.file_name,
                    parsed.row_numbers[i],
                    "geometry",
                    geometry.valid_reason[:100],
                    N_("The polygon is not valid: %(reason)s"),
                    {"reason": geometry.valid_reason[:200]},
                )
            )
            continue
        if not region_outline.intersects(geometry):
            errors.append(
                RowError(
                    ctx.file_name,
                    parsed.row_numbers[i],
                    "geometry",
                    "",
                    N_("This polygon is outside the region %(region)s."),
                    {"region": ctx.region.code},
                )
            )
            continue
        if geometry.geom_type == "Polygon":
            geometry = MultiPolygon(geometry, srid=4326)
        records.append(
            Record(
                GeologicalUnit,
                {"region": ctx.region, "code": cells[i]["code"]},
                {
                    "name_en": cells[i]["name_en"],
                    "name_ja": cells[i]["name_ja"] or "",
                    "name_ru": cells[i]["name_ru"] or "",
                    "name_tg": cells[i]["name_tg"] or "",
                    "age": cells[i]["age"] or "",
                    "dominant_lithology": cells[i]["dominant_lithology"] or "",
                    "is_schematic": bool(cells[i]["schematic"]),
                    "geometry": geometry,
                    **common(cells[i]),
                },
                parsed.row_numbers[i],
            )
        )
    return Outcome(records, errors, [])


UNITS = SurveyKind(
    "geological_units",
    N_("Geological units (GIS polygons)"),
    (GeologicalUnit,),
    UNIT_COLUMNS,
    build_units,
)


def register() -> None:
    """Called from GeologyConfig.ready()."""
    registry.register(UNITS)
