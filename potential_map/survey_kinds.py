"""potential_map's survey kind, registered with ingest: climate stations (position, elevation and
mean annual air temperature), which the ground-temperature layer is kriged from."""

from __future__ import annotations

import pandera.pandas as pa
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_noop as N_

from ingest import registry
from ingest.columns import CHOICE, NUMBER, TEXT, Column, Parsed
from ingest.errors import RowError
from ingest.kinds import COMMON, clean_rows, common
from ingest.registry import Context, Outcome, Record, SurveyKind
from potential_map.models import ClimateStation
from reference.models import Provenance

# Mean annual air temperatures on Earth's inhabited surface and its glaciers lie between about
# −30 °C and +35 °C: outside −60 … +50 °C a unit or a sign is wrong.
_plausible_air_k = pa.Check.in_range(213.15, 323.15, error=N_("This temperature is implausible."))
# From the Dead Sea shore (−430 m) to above the highest station (≈ 5,000 m).
_plausible_elevation_m = pa.Check.in_range(-500, 9000, error=N_("This elevation is implausible."))

STATION_COLUMNS = (
    Column("code", TEXT, help=N_("unique within the region"), example="maebashi", max_length=60),
    Column("name", TEXT, example="Maebashi"),
    Column("name_local", TEXT, required=False, example="前橋"),
    Column(
        "lon",
        NUMBER,
        "angle_deg",
        help=N_("WGS84 longitude"),
        example="139.06",
        checks=(pa.Check.in_range(-180, 180),),
    ),
    Column(
        "lat",
        NUMBER,
        "angle_deg",
        help=N_("WGS84 latitude"),
        example="36.405",
        checks=(pa.Check.in_range(-90, 90),),
    ),
    Column(
        "elevation",
        NUMBER,
        "length_m",
        help=N_("station elevation above sea level"),
        example="112",
        checks=(_plausible_elevation_m,),
    ),
    Column(
        "annual_mean_air_temperature",
        NUMBER,
        "temperature_k",
        help=N_("mean annual air temperature (a climate normal)"),
        example="14.6",
        unit="°C",
        checks=(_plausible_air_k,),
    ),
    Column("period", TEXT, required=False, example="1981–2010", max_length=20),
    Column(
        "temperature_provenance", CHOICE, choices=tuple(Provenance.values), example="literature"
    ),
    Column("temperature_source", TEXT, example="JMA normals 1981–2010", max_length=300),
    Column("location_provenance", CHOICE, choices=tuple(Provenance.values), example="literature"),
    Column("location_source", TEXT, example="WMO station list", max_length=300),
    *COMMON,
)


def build_stations(parsed: Parsed, ctx: Context) -> Outcome:
    """Climate stations; each inside the region, its code not repeated."""
    cells, errors = parsed.cells, []
    frame = parsed.frame
    for index in frame.index[frame["code"].duplicated(keep="first") & frame["code"].notna()]:
        errors.append(
            RowError(
                ctx.file_name,
                parsed.row_numbers[index],
                "code",
                cells[index]["code"],
                N_("This code is repeated in another row."),
            )
        )
    boundary = ctx.region.boundary.prepared
    records = []
    for i in clean_rows(parsed, errors):
        location = Point(float(cells[i]["lon"]), float(cells[i]["lat"]), srid=4326)
        if not boundary.covers(location):
            errors.append(
                RowError(
                    ctx.file_name,
                    parsed.row_numbers[i],
                    "lon",
                    f"{location.x}, {location.y}",
                    N_("This point is outside the region %(region)s."),
                    {"region": ctx.region.code},
                )
            )
            continue
        row = common(cells[i])
        row["source"] = row["source"] or cells[i]["temperature_source"]
        records.append(
            Record(
                ClimateStation,
                {"region": ctx.region, "code": cells[i]["code"]},
                {
                    "name": cells[i]["name"],
                    "name_local": cells[i]["name_local"] or "",
                    "location": location,
                    "elevation_m": float(cells[i]["elevation"]),
                    "annual_mean_air_temperature_k": float(cells[i]["annual_mean_air_temperature"]),
                    "period": cells[i]["period"] or "",
                    "temperature_provenance": cells[i]["temperature_provenance"],
                    "temperature_source": cells[i]["temperature_source"],
                    "location_provenance": cells[i]["location_provenance"],
                    "location_source": cells[i]["location_source"],
                    **row,
                },
                parsed.row_numbers[i],
            )
        )
    return Outcome(records, errors, [])


STATIONS = SurveyKind(
    "climate_stations",
    N_("Climate stations (mean annual air temperature)"),
    (ClimateStation,),
    STATION_COLUMNS,
    build_stations,
)


def register() -> None:
    """Called from PotentialMapConfig.ready()."""
    registry.register(STATIONS)
