"""The wells' survey kinds, registered with ingest: boreholes, casing and screen intervals,
geological columns, groundwater levels, temperature logs, water chemistry, thermal response and
pumping tests, flow readings.

A kind turns a parsed table into `Record`s: the model, its natural key and its values (SI).
ingest writes them all or none. Checks that need more than one row, or the database, live here:
codes that must exist, coordinates inside the region, layers that overlap, series whose time
runs backwards.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pandera.pandas as pa
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_noop as N_

from core.models import Region
from geology.choices import Lithology
from geology.domain.lithology import classify
from geology.models import GeologicalUnit
from ingest import registry
from ingest.columns import CHOICE, DATE, DATETIME, NUMBER, TEXT, Column, Parsed
from ingest.errors import RowError
from ingest.kinds import COMMON, as_float, clean_rows, common, repeated_keys
from ingest.registry import Context, Outcome, Record, SurveyKind
from wells import choices
from wells.models import (
    Borehole,
    GeologicalLayer,
    GroundwaterFlowReading,
    GroundwaterLevel,
    PumpingTest,
    TemperatureLog,
    ThermalResponseTest,
    WaterChemistrySample,
    WellInterval,
)

_ge0 = pa.Check.ge(0, error=N_("This value must not be negative."))
_gt0 = pa.Check.gt(0, error=N_("This value must be more than 0."))
# Groundwater and ground between -5 °C and 100 °C: outside that, a unit or sign is wrong.
_plausible_k = pa.Check.in_range(268.15, 373.15, error=N_("This temperature is implausible."))


@dataclass
class BoreholeRefs:
    """The region's boreholes by code: what kinds of borehole records look up (Context.refs)."""

    ids: dict[str, int] = field(default_factory=dict)
    depths_m: dict[str, float] = field(default_factory=dict)


def boreholes_of(region: Region) -> BoreholeRefs:
    rows = Borehole.objects.filter(region=region).values_list("code", "id", "depth_m")
    return BoreholeRefs(
        ids={code: pk for code, pk, _depth in rows},
        depths_m={code: depth for code, _pk, depth in rows},
    )


BOREHOLE_CODE = Column(
    "borehole_code",
    TEXT,
    help=N_("code of a borehole of the region"),
    max_length=40,
    example="YOS-1",  # the boreholes template's example
)


def _borehole_refs(parsed: Parsed, ctx: Context, errors: list[RowError]) -> pd.Series:
    """Borehole id of each row; an unknown code is an error naming the row."""
    codes = parsed.frame["borehole_code"]
    ids = codes.map(ctx.refs.ids)
    for index in codes.index[codes.notna() & ids.isna()]:
        errors.append(
            RowError(
                ctx.file_name,
                parsed.row_numbers[index],
                "borehole_code",
                str(codes[index]),
                N_("No borehole with this code in the region; import the boreholes first."),
            )
        )
    return ids


# --- boreholes --------------------------------------------------------------------------------

BOREHOLE_COLUMNS = (
    Column("code", TEXT, help=N_("unique within the region"), example="YOS-1", max_length=40),
    Column("name", TEXT, required=False, example="吉岡町試験井"),
    Column(
        "lon",
        NUMBER,
        "angle_deg",
        required=False,
        help=N_("WGS84 longitude"),
        example="139.01",
        checks=(pa.Check.in_range(-180, 180),),
    ),
    Column(
        "lat",
        NUMBER,
        "angle_deg",
        required=False,
        help=N_("WGS84 latitude"),
        example="36.45",
        checks=(pa.Check.in_range(-90, 90),),
    ),
    Column("ground_elevation", NUMBER, "length_m", required=False, example="160"),
    Column("depth", NUMBER, "length_m", help=N_("drilled depth"), example="51.3", checks=(_gt0,)),
    Column("diameter", NUMBER, "length_m", required=False, example="0.15", checks=(_gt0,)),
    Column("drilled_on", DATE, required=False, example="2013-08-19"),
    Column(
        "purpose", CHOICE, choices=tuple(choices.BoreholePurpose.values), example="pumping_well"
    ),
    *COMMON,
)


def build_boreholes(parsed: Parsed, ctx: Context) -> Outcome:
    frame, cells, errors = parsed.frame, parsed.cells, []
    duplicated = frame["code"].duplicated(keep="first") & frame["code"].notna()
    for index in frame.index[duplicated]:
        errors.append(
            RowError(
                ctx.file_name,
                parsed.row_numbers[index],
                "code",
                cells[index]["code"],
                N_("This code is repeated in another row."),
            )
        )
    has_lon, has_lat = frame["lon"].notna(), frame["lat"].notna()
    for index in frame.index[has_lon != has_lat]:
        missing = "lat" if has_lon[index] else "lon"
        errors.append(
            RowError(
                ctx.file_name,
                parsed.row_numbers[index],
                missing,
                "",
                N_("Give both longitude and latitude, or neither."),
            )
        )
    boundary = ctx.region.boundary.prepared
    records = []
    for index in clean_rows(parsed, errors):
        location = None
        if has_lon[index] and has_lat[index]:
            location = Point(float(cells[index]["lon"]), float(cells[index]["lat"]), srid=4326)
            if not boundary.covers(location):
                errors.append(
                    RowError(
                        ctx.file_name,
                        parsed.row_numbers[index],
                        "lon",
                        f"{location.x}, {location.y}",
                        N_("This point is outside the region %(region)s."),
                        {"region": ctx.region.code},
                    )
                )
                continue
        records.append(
            Record(
                Borehole,
                {"region": ctx.region, "code": cells[index]["code"]},
                {
                    "name": cells[index]["name"] or "",
                    "location": location,
                    "ground_elevation_m": as_float(cells[index]["ground_elevation"]),
                    "depth_m": float(cells[index]["depth"]),
                    "diameter_m": as_float(cells[index]["diameter"]),
                    "drilled_on": cells[index]["drilled_on"],
                    "purpose": cells[index]["purpose"],
                    **common(cells[index]),
                },
                parsed.row_numbers[index],
            )
        )
    return Outcome(records, errors, [])


# --- depth intervals: geological layers and well intervals -------------------------------------

LAYER_COLUMNS = (
    BOREHOLE_CODE,
    Column("top", NUMBER, "length_m", example="0", checks=(_ge0,)),
    Column("bottom", NUMBER, "length_m", example="0.5", checks=(_gt0,)),
    Column("lithology", CHOICE, choices=tuple(Lithology.values), example="fill"),
    Column("lithology_text", TEXT, required=False, example="埋土"),
    Column("unit_code", TEXT, required=False, help=N_("geological unit code"), max_length=60),
    Column(
        "hydro_role",
        CHOICE,
        required=False,
        choices=tuple(choices.HydroRole.values),
        example="aquitard",
    ),
    Column("description", TEXT, required=False, max_length=2000),
    *COMMON,
)
INTERVAL_COLUMNS = (
    BOREHOLE_CODE,
    Column("kind", CHOICE, choices=tuple(choices.IntervalKind.values), example="screen"),
    Column("top", NUMBER, "length_m", example="27.7", checks=(_ge0,)),
    Column("bottom", NUMBER, "length_m", example="51.3", checks=(_gt0,)),  # the depth of YOS-1
    Column("description", TEXT, required=False, max_length=300),
    *COMMON,
)


def _interval_checks(
    parsed: Parsed,
    ctx: Context,
    errors: list[RowError],
    warnings: list[RowError],
    group_by: list[str],
) -> None:
    """top < bottom per row; no overlap within a group; deeper than the hole is a warning."""
    frame, cells = parsed.frame, parsed.cells
    for index in frame.index[frame["top"] >= frame["bottom"]]:
        errors.append(
            RowError(
                ctx.file_name,
                parsed.row_numbers[index],
                "bottom",
                f"{cells[index]['top']} ≥ {cells[index]['bottom']}",
                N_("The top must be above the bottom."),
            )
        )
    ordered = frame.dropna(subset=["top", "bottom"]).sort_values([*group_by, "top"])
    for _key, group in ordered.groupby(group_by, sort=False):
        deepest_bottom, deepest_row = None, None  # the deepest bottom above, and its row
        for index, row in group.iterrows():
            if deepest_bottom is not None and row["top"] < deepest_bottom - 1e-9:
                errors.append(
                    RowError(
                        ctx.file_name,
                        parsed.row_numbers[index],
                        "top",
                        f"{row['top']:g}",
                        N_("This interval overlaps the one in row %(other)s."),
                        {"other": deepest_row},
                    )
                )
            if deepest_bottom is None or row["bottom"] > deepest_bottom:
                deepest_bottom, deepest_row = row["bottom"], parsed.row_numbers[index]
    for index in frame.index:
        depth = ctx.refs.depths_m.get(cells[index]["borehole_code"])
        if depth is not None and cells[index]["bottom"] > depth + 1e-9:
            warnings.append(
                RowError(
                    ctx.file_name,
                    parsed.row_numbers[index],
                    "bottom",
                    f"{cells[index]['bottom']:g}",
                    N_("Deeper than the borehole (%(depth)s m); kept as logged."),
                    {"depth": f"{depth:g}"},
                )
            )


def build_layers(parsed: Parsed, ctx: Context) -> Outcome:
    """Geological columns. A file gives whole columns: it replaces each borehole's layers."""
    cells, errors, warnings = parsed.cells, [], []
    ids = _borehole_refs(parsed, ctx, errors).tolist()
    _interval_checks(parsed, ctx, errors, warnings, ["borehole_code"])
    units = dict(GeologicalUnit.objects.filter(region=ctx.region).values_list("code", "id"))
    records = []
    for index in clean_rows(parsed, errors):
        unit_code = cells[index]["unit_code"]
        if unit_code and unit_code not in units:
            errors.append(
                RowError(
                    ctx.file_name,
                    parsed.row_numbers[index],
                    "unit_code",
                    unit_code,
                    N_("No geological unit with this code."),
                )
            )
            continue
        records.append(
            Record(
                GeologicalLayer,
                {"borehole_id": int(ids[index]), "top_m": float(cells[index]["top"])},
                {
                    "region": ctx.region,
                    "bottom_m": float(cells[index]["bottom"]),
                    "lithology": cells[index]["lithology"],
                    "lithology_text": cells[index]["lithology_text"] or "",
                    "geological_unit_id": units.get(unit_code),
                    "hydro_role": cells[index]["hydro_role"] or choices.HydroRole.UNKNOWN,
                    "description": cells[index]["description"] or "",
                    **common(cells[index]),
                },
                parsed.row_numbers[index],
            )
        )
    replaced = {int(i) for i in ids if not pd.isna(i)}
    return Outcome(records, errors, warnings, [(GeologicalLayer, "borehole_id", replaced)])


def build_intervals(parsed: Parsed, ctx: Context) -> Outcome:
    cells, errors, warnings = parsed.cells, [], []
    ids = _borehole_refs(parsed, ctx, errors).tolist()
    _interval_checks(parsed, ctx, errors, warnings, ["borehole_code", "kind"])
    records = [
        Record(
            WellInterval,
            {
                "borehole_id": int(ids[i]),
                "kind": cells[i]["kind"],
                "top_m": float(cells[i]["top"]),
            },
            {
                "region": ctx.region,
                "bottom_m": float(cells[i]["bottom"]),
                "description": cells[i]["description"] or "",
                **common(cells[i]),
            },
            parsed.row_numbers[i],
        )
        for i in clean_rows(parsed, errors)
    ]
    replaced = {int(i) for i in ids if not pd.isna(i)}
    return Outcome(records, errors, warnings, [(WellInterval, "borehole_id", replaced)])


# --- groundwater levels ---------------------------------------------------------------------

LEVEL_COLUMNS = (
    BOREHOLE_CODE,
    Column("measured_at", DATETIME, example="2013-08-28 08:00"),
    Column(
        "depth_to_water",
        NUMBER,
        "length_m",
        help=N_("below ground, positive down"),
        example="33.08",
    ),
    Column("method", TEXT, required=False, max_length=100),
    Column("aquifer", TEXT, required=False, max_length=100, example="mid-deep"),
    Column("note", TEXT, required=False, max_length=300),
    *COMMON,
)


def build_levels(parsed: Parsed, ctx: Context) -> Outcome:
    cells, errors = parsed.cells, []
    ids = _borehole_refs(parsed, ctx, errors).tolist()
    repeated_keys(parsed, ctx, errors, ["borehole_code", "measured_at"], "measured_at")
    records = [
        Record(
            GroundwaterLevel,
            {"borehole_id": int(ids[i]), "measured_at": cells[i]["measured_at"]},
            {
                "region": ctx.region,
                "depth_to_water_m": float(cells[i]["depth_to_water"]),
                "method": cells[i]["method"] or "",
                "aquifer": cells[i]["aquifer"] or "",
                "note": cells[i]["note"] or "",
                **common(cells[i]),
            },
            parsed.row_numbers[i],
        )
        for i in clean_rows(parsed, errors)
    ]
    return Outcome(records, errors, [])


# --- series: temperature logs, thermal response tests, pumping tests -------------------------

TEMPERATURE_COLUMNS = (
    BOREHOLE_CODE,
    Column("measured_at", DATETIME, example="2013-09-06"),
    # YOSHIOKA-2014 §2.6: 16.7 °C at 49 m, 15.7 °C at 51 m (a log needs two depths)
    Column("depth", NUMBER, "length_m", example="49", more_examples=("51",), checks=(_ge0,)),
    Column(
        "temperature",
        NUMBER,
        "temperature_k",
        example="16.7",
        unit="°C",
        more_examples=("15.7",),
        checks=(_plausible_k,),
    ),
    Column("instrument", TEXT, required=False, max_length=100, example="HPTL-1000"),
    *COMMON,
)
TRT_COLUMNS = (
    BOREHOLE_CODE,
    Column("started_at", DATETIME, example="2011-01-01 10:00"),
    Column("active_length", NUMBER, "length_m", example="18.3", checks=(_gt0,)),
    # A fit needs three readings; the fluid warms as the heat goes into the ground.
    Column("time", NUMBER, "time_s", example="60", more_examples=("120", "180"), checks=(_ge0,)),
    Column(
        "inlet_temperature",
        NUMBER,
        "temperature_k",
        example="22.0",
        unit="°C",
        more_examples=("22.4", "22.7"),
        checks=(_plausible_k,),
    ),
    Column(
        "outlet_temperature",
        NUMBER,
        "temperature_k",
        example="21.5",
        unit="°C",
        more_examples=("21.9", "22.2"),
        checks=(_plausible_k,),
    ),
    Column(
        "heating_power",
        NUMBER,
        "power_w",
        example="1.05",  # BEIER-2011's sandbox heater, in kW
        unit="kW",
        checks=(pa.Check.ge(0, error=N_("The heating power must not be negative.")),),
    ),
    Column(
        "undisturbed_temperature",
        NUMBER,
        "temperature_k",
        required=False,
        unit="°C",
        checks=(_plausible_k,),
    ),
    *COMMON,
)
PUMPING_COLUMNS = (
    BOREHOLE_CODE,
    Column("kind", CHOICE, choices=tuple(choices.PumpingTestKind.values), example="step"),
    Column("started_at", DATETIME, example="2013-08-27 08:20"),
    Column("static_level", NUMBER, "length_m", required=False, example="32.9"),
    # YOSHIOKA-2014's step test: 32.9 m at rest, 33.6 m after 70 min at 16 L/min
    Column("time", NUMBER, "time_s", example="0", more_examples=("4200",), checks=(_ge0,)),
    Column(
        "rate",
        NUMBER,
        "flow_m3_per_s",
        example="16",
        unit="L/min",
        checks=(pa.Check.ge(0, error=N_("The pumping rate must not be negative.")),),
    ),
    Column(
        "level",
        NUMBER,
        "length_m",
        help=N_("depth to water"),
        example="32.9",
        more_examples=("33.6",),
    ),
    Column(
        "aquifer_thickness", NUMBER, "length_m", required=False, example="11.85", checks=(_gt0,)
    ),
    *COMMON,
)


def _series(
    parsed: Parsed,
    ctx: Context,
    errors: list[RowError],
    key: list[str],
    order: str,
    min_points: int,
) -> dict[tuple[Any, ...], list[int]]:
    """Group rows into series by `key`; `order` must strictly increase within each series."""
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    frame, cells = parsed.frame, parsed.cells
    for index in frame.index:
        groups[tuple(cells[index][k] for k in key)].append(index)
    for indexes in groups.values():
        values = frame.loc[indexes, order].to_numpy(dtype=float)
        for position in range(1, len(indexes)):
            if not values[position] > values[position - 1]:
                errors.append(
                    RowError(
                        ctx.file_name,
                        parsed.row_numbers[indexes[position]],
                        order,
                        f"{cells[indexes[position]][order]:g}",
                        N_("Must increase within a series (previous row %(other)s)."),
                        {"other": parsed.row_numbers[indexes[position - 1]]},
                    )
                )
        if len(indexes) < min_points:
            errors.append(
                RowError(
                    ctx.file_name,
                    parsed.row_numbers[indexes[0]],
                    order,
                    str(len(indexes)),
                    N_("A series needs at least %(n)s rows."),
                    {"n": min_points},
                )
            )
    return groups


def build_temperature_logs(parsed: Parsed, ctx: Context) -> Outcome:
    frame, cells, errors = parsed.frame, parsed.cells, []
    ids = _borehole_refs(parsed, ctx, errors).tolist()
    groups = _series(parsed, ctx, errors, ["borehole_code", "measured_at"], "depth", 2)
    clean = set(clean_rows(parsed, errors))
    records = []
    for (_code, measured_at), rows in groups.items():
        if not all(i in clean for i in rows):
            continue
        first = rows[0]
        records.append(
            Record(
                TemperatureLog,
                {"borehole_id": int(ids[first]), "measured_at": measured_at},
                {
                    "region": ctx.region,
                    "depths_m": frame.loc[rows, "depth"].astype(float).tolist(),
                    "temperatures_k": frame.loc[rows, "temperature"].astype(float).tolist(),
                    "instrument": cells[first]["instrument"] or "",
                    **common(cells[first]),
                },
                parsed.row_numbers[first],
            )
        )
    return Outcome(records, errors, [])


def build_trts(parsed: Parsed, ctx: Context) -> Outcome:
    frame, cells, errors = parsed.frame, parsed.cells, []
    ids = _borehole_refs(parsed, ctx, errors).tolist()
    groups = _series(parsed, ctx, errors, ["borehole_code", "started_at"], "time", 3)
    clean = set(clean_rows(parsed, errors))
    records = []
    for (_code, started_at), rows in groups.items():
        if not all(i in clean for i in rows):
            continue
        first = rows[0]
        undisturbed = frame.loc[rows, "undisturbed_temperature"].dropna()
        records.append(
            Record(
                ThermalResponseTest,
                {"borehole_id": int(ids[first]), "started_at": started_at},
                {
                    "region": ctx.region,
                    "active_length_m": float(cells[first]["active_length"]),
                    "time_s": _floats(frame, rows, "time"),
                    "inlet_temperature_k": _floats(frame, rows, "inlet_temperature"),
                    "outlet_temperature_k": _floats(frame, rows, "outlet_temperature"),
                    "heating_power_w": _floats(frame, rows, "heating_power"),
                    "undisturbed_temperature_k": float(undisturbed.iloc[0])
                    if len(undisturbed)
                    else None,
                    **common(cells[first]),
                },
                parsed.row_numbers[first],
            )
        )
    return Outcome(records, errors, [])


def build_pumping_tests(parsed: Parsed, ctx: Context) -> Outcome:
    frame, cells, errors = parsed.frame, parsed.cells, []
    ids = _borehole_refs(parsed, ctx, errors).tolist()
    groups = _series(parsed, ctx, errors, ["borehole_code", "kind", "started_at"], "time", 2)
    clean = set(clean_rows(parsed, errors))
    records = []
    for (_code, kind, started_at), rows in groups.items():
        if not all(i in clean for i in rows):
            continue
        first = rows[0]
        static = frame.loc[rows, "static_level"].dropna()
        thickness = frame.loc[rows, "aquifer_thickness"].dropna()
        records.append(
            Record(
                PumpingTest,
                {"borehole_id": int(ids[first]), "kind": kind, "started_at": started_at},
                {
                    "region": ctx.region,
                    "static_level_m": float(static.iloc[0]) if len(static) else None,
                    "time_s": _floats(frame, rows, "time"),
                    "rate_m3_per_s": _floats(frame, rows, "rate"),
                    "level_m": _floats(frame, rows, "level"),
                    "aquifer_thickness_m": float(thickness.iloc[0]) if len(thickness) else None,
                    **common(cells[first]),
                },
                parsed.row_numbers[first],
            )
        )
    return Outcome(records, errors, [])


def _floats(frame: pd.DataFrame, rows: list[int], column: str) -> list[float]:
    return frame.loc[rows, column].astype(float).tolist()


# --- water chemistry --------------------------------------------------------------------------

# (column, model field, unit dimension)
ANALYTES = (
    ("calcium", "calcium_kg_per_m3"),
    ("magnesium", "magnesium_kg_per_m3"),
    ("sodium", "sodium_kg_per_m3"),
    ("potassium", "potassium_kg_per_m3"),
    ("bicarbonate", "bicarbonate_kg_per_m3"),
    ("sulfate", "sulfate_kg_per_m3"),
    ("chloride", "chloride_kg_per_m3"),
    ("nitrate", "nitrate_kg_per_m3"),
    ("iron", "iron_kg_per_m3"),
    ("manganese", "manganese_kg_per_m3"),
    ("copper", "copper_kg_per_m3"),
    ("ammonium", "ammonium_kg_per_m3"),
    ("ionic_silica", "ionic_silica_kg_per_m3"),
    ("free_co2", "free_co2_kg_per_m3"),
    ("total_hardness", "total_hardness_kg_per_m3"),
    ("calcium_hardness", "calcium_hardness_kg_per_m3"),
    ("acid_consumption", "acid_consumption_kg_per_m3"),
)
CHEMISTRY_COLUMNS = (
    BOREHOLE_CODE,
    Column("sampled_at", DATETIME, example="2013-08-28"),
    Column("depth", NUMBER, "length_m", required=False, example="50", checks=(_ge0,)),
    Column(
        "water_temperature",
        NUMBER,
        "temperature_k",
        required=False,
        example="16.2",
        unit="°C",
        checks=(_plausible_k,),
    ),
    Column(
        "ph",
        NUMBER,
        "dimensionless",
        required=False,
        example="7.2",
        checks=(pa.Check.in_range(0, 14, error=N_("pH is between 0 and 14.")),),
    ),
    Column("ph_temperature", NUMBER, "temperature_k", required=False, example="24.8", unit="°C"),
    Column(
        "electrical_conductivity",
        NUMBER,
        "conductivity_s_per_m",
        required=False,
        example="38.6",
        unit="mS/m",
        checks=(_ge0,),
    ),
    *(
        Column(
            name,
            NUMBER,
            "concentration_kg_per_m3",
            required=False,
            censorable=True,
            unit="mg/L",
            checks=(_ge0,),
        )
        for name, _field in ANALYTES
    ),
    Column("stability_index", NUMBER, "dimensionless", required=False, example="8.7"),
    *COMMON,
)


def build_chemistry(parsed: Parsed, ctx: Context) -> Outcome:
    cells, errors = parsed.cells, []
    ids = _borehole_refs(parsed, ctx, errors).tolist()
    repeated_keys(parsed, ctx, errors, ["borehole_code", "sampled_at", "depth"], "sampled_at")
    records = []
    for i in clean_rows(parsed, errors):
        qualifiers = {
            dict(ANALYTES)[column]: q
            for (index, column), q in parsed.qualifiers.items()
            if index == i and column in dict(ANALYTES)
        }
        values = {f: as_float(cells[i][c]) for c, f in ANALYTES}
        records.append(
            Record(
                WaterChemistrySample,
                {
                    "borehole_id": int(ids[i]),
                    "sampled_at": cells[i]["sampled_at"],
                    "depth_m": as_float(cells[i]["depth"]),
                },
                {
                    "region": ctx.region,
                    "water_temperature_k": as_float(cells[i]["water_temperature"]),
                    "ph": as_float(cells[i]["ph"]),
                    "ph_temperature_k": as_float(cells[i]["ph_temperature"]),
                    "electrical_conductivity_s_per_m": as_float(
                        cells[i]["electrical_conductivity"]
                    ),
                    "stability_index": as_float(cells[i]["stability_index"]),
                    "qualifiers": qualifiers,
                    **values,
                    **common(cells[i]),
                },
                parsed.row_numbers[i],
            )
        )
    return Outcome(records, errors, [])


# --- groundwater flow readings -----------------------------------------------------------------

FLOW_COLUMNS = (
    BOREHOLE_CODE,
    Column("measured_at", DATETIME, example="2013-09-08 14:30"),
    Column("depth", NUMBER, "length_m", example="39", checks=(_ge0,)),
    Column("reading", NUMBER, "dimensionless", example="2", checks=(_gt0,)),
    Column(
        "direction",
        NUMBER,
        "angle_deg",
        help=N_("azimuth the water flows towards"),
        example="37.9",
        checks=(pa.Check.in_range(0, 360, include_max=False),),
    ),
    Column("velocity", NUMBER, "velocity_m_per_s", example="0.019", unit="cm/min", checks=(_ge0,)),
    *COMMON,
)


def build_flow_readings(parsed: Parsed, ctx: Context) -> Outcome:
    cells, errors = parsed.cells, []
    ids = _borehole_refs(parsed, ctx, errors).tolist()
    repeated_keys(parsed, ctx, errors, ["borehole_code", "depth", "measured_at"], "measured_at")
    records = [
        Record(
            GroundwaterFlowReading,
            {
                "borehole_id": int(ids[i]),
                "depth_m": float(cells[i]["depth"]),
                "measured_at": cells[i]["measured_at"],
            },
            {
                "region": ctx.region,
                "reading": int(cells[i]["reading"]),
                "direction_deg": float(cells[i]["direction"]),
                "velocity_m_per_s": float(cells[i]["velocity"]),
                **common(cells[i]),
            },
            parsed.row_numbers[i],
        )
        for i in clean_rows(parsed, errors)
    ]
    return Outcome(records, errors, [])


KINDS = (
    SurveyKind("boreholes", N_("Boreholes"), (Borehole,), BOREHOLE_COLUMNS, build_boreholes),
    SurveyKind(
        "well_intervals",
        N_("Casing and screen intervals"),
        (WellInterval,),
        INTERVAL_COLUMNS,
        build_intervals,
        context=boreholes_of,
    ),
    SurveyKind(
        "geological_layers",
        N_("Geological columns"),
        (GeologicalLayer,),
        LAYER_COLUMNS,
        build_layers,
        context=boreholes_of,
        classifiers={"lithology": classify},
    ),
    SurveyKind(
        "groundwater_levels",
        N_("Groundwater levels"),
        (GroundwaterLevel,),
        LEVEL_COLUMNS,
        build_levels,
        context=boreholes_of,
    ),
    SurveyKind(
        "temperature_logs",
        N_("Temperature logs"),
        (TemperatureLog,),
        TEMPERATURE_COLUMNS,
        build_temperature_logs,
        context=boreholes_of,
    ),
    SurveyKind(
        "water_chemistry",
        N_("Water chemistry"),
        (WaterChemistrySample,),
        CHEMISTRY_COLUMNS,
        build_chemistry,
        context=boreholes_of,
    ),
    SurveyKind(
        "thermal_response_tests",
        N_("Thermal response tests"),
        (ThermalResponseTest,),
        TRT_COLUMNS,
        build_trts,
        context=boreholes_of,
    ),
    SurveyKind(
        "pumping_tests",
        N_("Pumping tests"),
        (PumpingTest,),
        PUMPING_COLUMNS,
        build_pumping_tests,
        context=boreholes_of,
    ),
    SurveyKind(
        "flow_readings",
        N_("Groundwater flow readings"),
        (GroundwaterFlowReading,),
        FLOW_COLUMNS,
        build_flow_readings,
        context=boreholes_of,
    ),
)


def register() -> None:
    """Called from WellsConfig.ready()."""
    for kind in KINDS:
        registry.register(kind)
