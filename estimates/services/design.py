"""The ground side of an estimate: a closed-loop borefield sized with GHEtool within the
parcel, or an open loop's wells from the map's sustainable rate, each with its P10/P50/P90 band
and what it assumed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _

from core.lib import physical_defaults
from core.models import Region
from estimates.domain import layout, loads, open_loop_design, sizing
from estimates.services.errors import Refused
from field_tests.models import AnalysisKind, FieldTestAnalysis
from potential_map.choices import LayerKind
from potential_map.services.read import MapAnswer

DEFAULT_SPACING_M = layout.SAFE_SPACING_M
DEFAULT_SETBACK_M = 3.0  # from the parcel edge (inferred; the guideline's ※1 boundary caution)
DEFAULT_MAX_LENGTH_M = 150.0
UNCONSTRAINED_MAX_BOREHOLES = 200  # a point without a parcel
# R_b 0.1 m·K/W as the map; ρc 2.4 MJ/(m³·K), GHEtool's default, where the map takes 2.5 (GRASS):
# issue 20 unifies them (core.lib.physical_defaults says why each is what it is).
DEFAULT_BOREHOLE_RESISTANCE_M_K_PER_W = physical_defaults.BOREHOLE_RESISTANCE_M_K_PER_W
DEFAULT_HEAT_CAPACITY_J_PER_M3_K = (
    physical_defaults.SIZING_GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K
)
PUMPING_WELL_DEPTH_M = 70.0  # YOSHIOKA-2014 Table 11 (Ø200 mm × 70 m)
REINJECTION_WELL_DEPTH_M = 30.0  # YOSHIOKA-2014 Table 11 (Ø200 mm × 30 m)
CHEMISTRY_SEARCH_M = 5000.0


def _sizing_message(
    exc: Any, spacing: float, max_length: float, low_k: float, high_k: float
) -> str:
    if exc.needed:
        return _(
            "needs about %(needed)s boreholes of at most %(length)s m; the parcel fits "
            "%(fits)s at %(spacing)s m spacing."
        ) % {
            "needed": exc.needed,
            "length": f"{max_length:g}",
            "fits": exc.fits,
            "spacing": f"{spacing:g}",
        }
    if str(exc).startswith("no borehole length"):
        return _(
            "No borehole length keeps the fluid within %(low)s–%(high)s °C with this ground."
        ) % {"low": f"{low_k - 273.15:g}", "high": f"{high_k - 273.15:g}"}
    return _(str(exc))


def closed_loop(
    region: Region,
    inputs: dict[str, Any],
    answer: MapAnswer,
    building: loads.MonthlyLoads,
    conductivity: dict[str, float | None],
    ground_k: float,
    cop: float,
    eer: float,
    parcel_m: Any,
    progress: Callable[[float, str], None],
) -> dict[str, Any]:
    """A rectangular borefield inside the parcel (or unconstrained at a point), sized by GHEtool
    for λ's P50, and its P10 and P90 for the longest and shortest field, on one g-function
    store (estimates.domain.sizing.size_bands)."""
    params = {k: v["value"] for k, v in region.map_parameters.items()}
    spacing = float(inputs.get("spacing_m", DEFAULT_SPACING_M))
    setback = float(inputs.get("setback_m", DEFAULT_SETBACK_M))
    max_length = float(inputs.get("max_length_m", DEFAULT_MAX_LENGTH_M))
    if parcel_m is not None:
        positions = layout.grid_positions(parcel_m, spacing, setback)
        fits = len(positions)
        if fits == 0:
            raise Refused(
                _(
                    "No borehole fits in the parcel at %(spacing)s m spacing and %(setback)s m "
                    "from its edge: a smaller setback or an open loop may work."
                )
                % {"spacing": f"{spacing:g}", "setback": f"{setback:g}"}
            )
    else:
        positions, fits = None, UNCONSTRAINED_MAX_BOREHOLES
    gpot = answer.value(LayerKind.CLOSED_LOOP_HEATING) or 0.0
    ground_annual = building.annual_heating_j * (1 - 1 / cop)
    start = sizing.start_count(ground_annual, gpot)
    fluid_min = float(params["fluid_min_temperature_k"])
    fluid_max = float(params["fluid_max_temperature_k"])
    resistance = float(
        inputs.get("borehole_resistance_m_k_per_w", DEFAULT_BOREHOLE_RESISTANCE_M_K_PER_W)
    )
    problem = sizing.SizingProblem(
        building,
        ground_k,
        DEFAULT_HEAT_CAPACITY_J_PER_M3_K,
        resistance,
        fluid_min,
        fluid_max,
        cop,
        eer,
        spacing,
        fits,
        min_length_m=min(30.0, max_length),
        max_length_m=max_length,
    )
    # One search over λ's P50, P10 and P90 on the process's g-function store: P10 starts from
    # P50's field, P90 looks only at it and smaller (estimates.domain.sizing.size_bands).
    try:
        sized = sizing.size_bands(problem, conductivity, start_count=start)
    except sizing.SizingError as exc:
        raise Refused(_sizing_message(exc, spacing, max_length, fluid_min, fluid_max)) from exc
    progress(0.8, "Sizing the ground side")
    bands: dict[str, Any] = {}
    ghetool_seconds, calls, computations = 0.0, 0, 0
    # λ's P10 gives the longest field (the P90 of length), its P90 the shortest.
    for lam_band in ("p50", "p10", "p90"):
        outcome = sized[lam_band]
        length_band = sizing.LENGTH_BAND_OF_CONDUCTIVITY_BAND[lam_band]
        if isinstance(outcome, sizing.SizingError):
            message = _sizing_message(outcome, spacing, max_length, fluid_min, fluid_max)
            if outcome.needed:  # a band beyond the parcel: say so
                bands[length_band] = {"refused": message}
                continue
            raise Refused(message) from outcome
        ghetool_seconds += outcome.ghetool_seconds
        calls += outcome.ghetool_calls
        computations += outcome.gfunction_computations
        bands[length_band] = outcome.as_dict()
    p50 = bands["p50"]
    notes = list(p50["notes"])
    spacing_check = layout.spacing_status(spacing)
    if spacing_check != "ok":
        notes.append(f"spacing {spacing:g} m: {spacing_check} (the guideline asks 6 m or more)")
    freeze = fluid_min < 273.15
    return {
        "kind": "closed_loop",
        "count": p50["count"],
        "length_m": p50["length_m"],
        "total_length_m": p50["total_length_m"],
        "rows": p50["rows"],
        "columns": p50["columns"],
        "bands": {
            b: {
                "total_length_m": v.get("total_length_m"),
                "count": v.get("count"),
                "length_m": v.get("length_m"),
                "refused": v.get("refused"),
            }
            for b, v in bands.items()
        },
        "fluid_min_c": p50["fluid_min_c"],
        "fluid_max_c": p50["fluid_max_c"],
        "fluid_limits_c": [fluid_min - 273.15, fluid_max - 273.15],
        "antifreeze": "propylene glycol (freeze protection below 0 °C; viscosity warning, "
        "MOE-GL4-2024 fig. 29)"
        if freeze
        else None,
        "spacing_m": spacing,
        "spacing_check": spacing_check,
        "setback_m": setback,
        "positions_fit": fits if positions is not None else None,
        "positions_m": positions[: p50["count"]].round(2).tolist()
        if positions is not None
        else None,
        "ghetool_seconds": ghetool_seconds,
        "ghetool_calls": calls,
        "gfunction_computations": computations,
        "notes": notes,
        "method": "GHEtool 2.3.4 size_L3 (monthly), rectangular field",
    }


def _nearest_chemistry(region: Region, location: Point, user: Any) -> dict[str, Any] | None:
    analysis = (
        FieldTestAnalysis.objects.visible_to(user)
        .filter(
            region=region,
            kind=AnalysisKind.WATER_CHEMISTRY,
            is_current=True,
            borehole__location__isnull=False,
        )
        .annotate(distance=Distance("borehole__location", location, spheroid=True))
        .filter(distance__lte=CHEMISTRY_SEARCH_M)
        .select_related("borehole")
        .order_by("distance")
        .first()
    )
    if analysis is None:
        return None
    return {
        "borehole": analysis.borehole.code,
        "distance_m": round(analysis.distance.m, 1),
        "heat_exchanger_needed": analysis.result["heat_exchanger_needed"],
        "standard_failures": analysis.result["screening"]["standard_failures"],
        "clogging_risk": analysis.result["clogging_risk"],
        "limit_set": analysis.parameters["limit_set"],
        "analysis": analysis.pk,
        "version": analysis.version,
    }


def open_loop(
    region: Region,
    inputs: dict[str, Any],
    answer: MapAnswer,
    building: loads.MonthlyLoads,
    flow: dict[str, float | None],
    cop: float,
    eer: float,
    location: Point,
    user: Any,
) -> dict[str, Any]:
    """Pumping and reinjection wells for the ground-side peak at the map's sustainable rate per
    well (P10/P50/P90), and the nearest water sample's screening for the heat exchanger."""
    params = {k: v["value"] for k, v in region.map_parameters.items()}
    delta_t = float(
        inputs.get(
            "delta_t_k", params.get("open_loop_delta_t_k", physical_defaults.OPEN_LOOP_DELTA_T_K)
        )
    )
    ground_peak = max(
        float(building.heating_peak_w.max()) * (1 - 1 / cop),
        float(building.cooling_peak_w.max()) * (1 + 1 / eer),
    )
    depth_to_water = answer.value(LayerKind.GROUNDWATER_DEPTH) or physical_defaults.DEPTH_TO_WATER_M
    drawdown = float(params.get("allowed_drawdown_m", physical_defaults.ALLOWED_DRAWDOWN_M))
    bands = {}
    for band in ("p50", "p10", "p90"):
        if flow[band] is None:
            continue
        try:
            bands[band] = open_loop_design.design_wells(
                ground_peak, delta_t, flow[band], depth_to_water, drawdown
            )
        except ValueError as exc:
            raise Refused(_(str(exc))) from exc
    design = bands["p50"]
    chemistry = _nearest_chemistry(region, location, user)
    return {
        "kind": "open_loop",
        **design,
        # fewer wells where the aquifer gives more: well counts from the flow's P90 and P10
        "bands": {
            "p10": {"pumping_wells": bands.get("p90", design)["pumping_wells"]},
            "p50": {"pumping_wells": design["pumping_wells"]},
            "p90": {"pumping_wells": bands.get("p10", design)["pumping_wells"]},
        },
        "delta_t_k": delta_t,
        "ground_peak_w": ground_peak,
        "pumping_well_depth_m": PUMPING_WELL_DEPTH_M,
        "reinjection_well_depth_m": REINJECTION_WELL_DEPTH_M,
        "depth_to_water_m": depth_to_water,
        "sustainable_flow_per_well_m3_per_s": flow["p50"],
        "water_chemistry": chemistry,
        "heat_exchanger": True if chemistry is None else chemistry["heat_exchanger_needed"],
        "heat_exchanger_basis": "no water sample within 5 km: an intermediate heat exchanger "
        "is assumed"
        if chemistry is None
        else "the nearest water sample's screening",
        "method": "Q = P/(ρc ΔT); wells from the map's sustainable rate (Thiem doublet)",
    }
