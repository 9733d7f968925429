"""A parcel's design estimate: loads, system choice, sizing, energy, cost, payback and CO2,
each with the data behind it. Thin over estimates.domain; reads the map through the same
point and parcel queries the public API uses, with the requesting user's visibility.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import override

from core.lib import physical_defaults
from core.lib.jsonsafe import finite
from core.models import Job, Region
from estimates.domain import economics, layout, loads, open_loop_design, selection, sizing
from estimates.models import METHOD_VERSION, Estimate
from field_tests.models import AnalysisKind, FieldTestAnalysis
from potential_map import rasters
from potential_map.choices import LayerKind
from potential_map.models import MapLayer
from potential_map.services import parcel_summary, point_provenance
from reference.domain.economics import subsidy as subsidy_amount
from reference.services import (
    CARRIER_KEYS,
    MissingReference,
    baseline,
    monthly_temperatures,
    read_once,
    required_value,
    subsidy_programme,
    subsidy_programmes,
)

J_PER_KWH = 3.6e6
YEARS = 25
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
CIRCULATION_PUMP_SHARE = 0.03  # closed-loop circulation pump, share of delivered heat (inferred)
PUMPING_WELL_DEPTH_M = 70.0  # YOSHIOKA-2014 Table 11 (Ø200 mm × 70 m)
REINJECTION_WELL_DEPTH_M = 30.0  # YOSHIOKA-2014 Table 11 (Ø200 mm × 30 m)
CHEMISTRY_SEARCH_M = 5000.0
BACKGROUND_ABOVE_S = 1.0  # estimates longer than this run as a Celery job


class Refused(ValueError):
    """Inputs with no answer: the message says why and what would work (translated)."""


# The domain's messages (plain English there: no Django in estimates.domain), translated here.
DOMAIN_MESSAGES = (
    N_("the floor area must be positive"),
    N_("twelve monthly mean temperatures are needed"),
    N_("a monthly table needs twelve non-negative values per column"),
    N_("there is no aquifer here: no sustainable pumping rate"),
    N_("GHEtool found no finite borehole length"),
    N_("the sizing did not settle; try a larger spacing or a smaller load"),
)


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


# --- inputs ------------------------------------------------------------------------------


def parcel_from_geojson(geometry: dict[str, Any] | None) -> MultiPolygon | None:
    if not geometry:
        return None
    from potential_map.api.views import _parcel_geometry

    parsed, problem = _parcel_geometry(geometry)
    if problem:
        raise Refused(problem)
    if isinstance(parsed, Polygon):
        parsed = MultiPolygon(parsed, srid=4326)
    return parsed  # type: ignore[return-value]


def _hash(region: Region, location: Point, parcel: Any, inputs: dict[str, Any], user: Any) -> str:
    versions = sorted(
        MapLayer.objects.visible_to(user)
        .filter(region=region, is_current=True)
        .values_list("kind", "version")
    )
    analyses = sorted(
        FieldTestAnalysis.objects.visible_to(user)
        .filter(region=region, is_current=True)
        .values_list("pk", "version")
    )
    payload = {
        "region": region.code,
        "location": [round(location.x, 6), round(location.y, 6)],
        "parcel": parcel.wkt if parcel else None,
        "inputs": inputs,
        "layers": versions,
        "analyses": analyses,
        "method": METHOD_VERSION,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def request_estimate(
    location: Point,
    parcel: MultiPolygon | None,
    inputs: dict[str, Any],
    user: Any,
    language: str = "en",
    background: bool | None = None,
) -> Estimate:
    """The stored estimate for identical inputs and map versions, else a new one: computed
    here when it is quick, queued for a Celery worker when it is not (GHEtool sizes three
    times for the bands)."""
    region = Region.objects.visible_to(user).filter(boundary__intersects=location).first()
    if region is None:
        raise Refused(_("This point is outside every region."))
    if parcel is not None and not parcel.intersects(region.boundary):
        raise Refused(_("The parcel is outside the region of its point."))
    digest = _hash(region, location, parcel, inputs, user)
    # An identical request still queued or running is the same estimate: the second asker
    # follows the first one's progress instead of starting another sizing (unless the first
    # is so old that its worker must have died: the stale-job sweep's limit).
    pending_since = timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER_S)
    reusable = Estimate.objects.filter(inputs_hash=digest).filter(
        Q(state__in=[Estimate.State.DONE, Estimate.State.REFUSED])
        | Q(
            state__in=[Estimate.State.QUEUED, Estimate.State.RUNNING],
            created_at__gte=pending_since,
        )
    )
    reusable = (
        reusable.filter(created_by=user)
        if user.is_authenticated
        else reusable.filter(created_by=None, uses_unpublished=False)
    )
    if (found := reusable.first()) is not None:
        return found
    estimate = Estimate.objects.create(
        region=region,
        location=location,
        parcel=parcel,
        inputs=inputs,
        inputs_hash=digest,
        created_by=user if user.is_authenticated else None,
        language=language,
    )
    if background if background is not None else _needs_worker(inputs):
        from estimates.tasks import compute_estimate

        job = Job.objects.create(kind="estimate", region=region, target=estimate)
        Estimate.objects.filter(pk=estimate.pk).update(job=job)
        compute_estimate.delay(job.pk)
        estimate.refresh_from_db()
        return estimate
    run(estimate)
    estimate.refresh_from_db()
    return estimate


def _needs_worker(inputs: dict[str, Any]) -> bool:
    """Closed loops size with GHEtool three times (P10/P50/P90): seconds, so a worker job."""
    return inputs.get("system", "recommend") != "open_loop"


def run(estimate: Estimate, job: Job | None = None) -> None:
    """Compute and store; refusals and failures are stored with their reason."""
    Estimate.objects.filter(pk=estimate.pk).update(state=Estimate.State.RUNNING)
    user = estimate.created_by or AnonymousUser()
    try:
        with override(estimate.language):  # a worker has no request: the asker's language
            result = compute(estimate, user, job)
    except Refused as exc:
        Estimate.objects.filter(pk=estimate.pk).update(
            state=Estimate.State.REFUSED, message=str(exc), result={}
        )
        return
    except Exception as exc:
        Estimate.objects.filter(pk=estimate.pk).update(
            state=Estimate.State.FAILED, message=f"{type(exc).__name__}: {exc}"[:500]
        )
        raise
    Estimate.objects.filter(pk=estimate.pk).update(
        state=Estimate.State.DONE,
        result=finite(result),
        uses_unpublished=result["provenance"]["uses_unpublished"],
    )


# --- the estimate ------------------------------------------------------------------------


def _loads(inputs: dict[str, Any], temperatures: np.ndarray) -> loads.MonthlyLoads:
    mode = inputs.get("loads", "use")
    try:
        if mode == "use":
            return loads.loads_from_use(
                inputs["building_use"], float(inputs["floor_area_m2"]), temperatures
            )
        if mode == "peaks":
            return loads.loads_from_peaks(
                float(inputs["heating_peak_w"]),
                float(inputs["cooling_peak_w"]),
                inputs.get("annual_heating_j"),
                inputs.get("annual_cooling_j"),
                temperatures,
            )
        if mode == "table":
            return loads.loads_from_table(
                inputs["monthly_heating_j"],
                inputs["monthly_cooling_j"],
                inputs["monthly_heating_peak_w"],
                inputs["monthly_cooling_peak_w"],
            )
    except KeyError as exc:
        raise Refused(_("The loads need the field %(field)s.") % {"field": exc.args[0]}) from exc
    except ValueError as exc:
        raise Refused(_(str(exc))) from exc
    raise Refused(_("Unknown way to give loads: %(mode)r (use, peaks or table).") % {"mode": mode})


def _value(answer: dict[str, Any], kind: str, band: str = "p50") -> float | None:
    layer = answer["layers"].get(kind)
    if not layer:
        return None
    if "parcel" in layer and layer["parcel"]["bands"].get(band, {}).get("mean") is not None:
        return float(layer["parcel"]["bands"][band]["mean"])
    value = layer["values"].get(band)
    return None if value is None else float(value)


def compute(estimate: Estimate, user: Any, job: Job | None = None) -> dict[str, Any]:
    """The estimate's result; the region's reference values are read once for all of it."""
    with read_once(estimate.region):
        try:
            return _compute(estimate, user, job)
        except MissingReference as exc:
            raise Refused(str(exc)) from exc


def _compute(estimate: Estimate, user: Any, job: Job | None = None) -> dict[str, Any]:
    region = estimate.region
    inputs = estimate.inputs
    location = estimate.location
    started = time.perf_counter()
    used: dict[str, Any] = {}

    def progress(fraction: float, message: str) -> None:
        if job is not None:
            job.set_progress(fraction, message)

    progress(0.05, "Reading the map at the parcel")
    if estimate.parcel is not None:
        answer = parcel_summary(region, estimate.parcel, user)
        parcel_m = rasters.to_metric(bytes(estimate.parcel.wkb), region.raster_crs_epsg)
        if parcel_m.area <= 0:
            raise Refused(_("The parcel has no area."))
    else:
        answer = point_provenance(region, location.x, location.y, user)
        parcel_m = None
    conductivity = {b: _value(answer, LayerKind.CONDUCTIVITY, b) for b in ("p50", "p10", "p90")}
    ground_k = _value(answer, LayerKind.GROUND_TEMPERATURE)
    if conductivity["p50"] is None or ground_k is None:
        raise Refused(
            _(
                "The map has no ground data here (no thermal conductivity or ground "
                "temperature layer covers this point)."
            )
        )
    temperatures, climate = monthly_temperatures(region)
    building = _loads(inputs, temperatures)
    cop = float(inputs.get("cop_heating") or required_value(region, "heat_pump_cop_heating", used))
    eer = float(inputs.get("eer_cooling") or required_value(region, "heat_pump_eer_cooling", used))
    extraction_j = building.annual_heating_j * (1 - 1 / cop)
    injection_j = building.annual_cooling_j * (1 + 1 / eer)

    constraint = answer["layers"].get(LayerKind.CONSTRAINTS_OPEN_LOOP)
    constraint_class = _value(answer, LayerKind.CONSTRAINTS_OPEN_LOOP, "class")
    if constraint and constraint.get("parcel"):
        constraint_class = constraint["parcel"].get("strictest_class", constraint_class)
    flow = {b: _value(answer, LayerKind.OPEN_LOOP_FLOW, b) for b in ("p50", "p10", "p90")}
    groundwater_possible = flow["p50"] is not None and (constraint_class or 0) < 2
    choice = selection.select_system(
        selection.heat_balance(extraction_j, injection_j),
        "possible" if groundwater_possible else "not_possible",
    )
    system = inputs.get("system", "recommend")
    chosen = choice["recommended"] if system == "recommend" else system
    if chosen == "open_loop" and not groundwater_possible:
        reason = (
            _("an open loop is prohibited here by a groundwater rule")
            if (constraint_class or 0) >= 2
            else _("there is no aquifer here on the map")
        )
        raise Refused(
            _("No open loop: %(reason)s. A closed loop would work: choose it.") % {"reason": reason}
        )

    progress(0.2, "Sizing the ground side")
    if chosen == "closed_loop":
        design = _closed_loop(
            region,
            inputs,
            answer,
            building,
            conductivity,
            ground_k,
            cop,
            eer,
            parcel_m,
            used,
            progress,
        )
    else:
        design = _open_loop(region, inputs, answer, building, flow, cop, eer, location, user)

    progress(0.85, "Costs, savings and CO2")
    money = _economics(region, inputs, building, design, cop, eer, used)
    regulation = _regulation(constraint, constraint_class)
    seconds = time.perf_counter() - started
    layers_used = {
        kind: {
            "version": layer.get("version"),
            "units": layer.get("units"),
            "method": layer.get("method"),
            "nearest_boreholes": layer.get("nearest_boreholes", [])[:3],
        }
        for kind, layer in answer["layers"].items()
    }
    visible_public = set(
        MapLayer.objects.filter(region=region, is_current=True, published=True).values_list(
            "kind", "version"
        )
    )
    uses_unpublished = (
        any((kind, info["version"]) not in visible_public for kind, info in layers_used.items())
        or not region.published
    )
    return {
        "system": chosen,
        "selection": choice,
        "loads": building.as_dict(),
        "ground": {
            "conductivity_w_per_m_k": conductivity,
            "ground_temperature_k": ground_k,
            "open_loop_flow_m3_per_s": flow,
        },
        "design": design,
        "economics": money,
        "regulation": regulation,
        "climate": climate,
        "parcel": answer.get("parcel"),
        "location": [location.x, location.y],
        "region": region.code,
        "currency": region.currency,
        "provenance": {
            "layers": layers_used,
            "reference_values": used,
            "defaults": _defaults_used(inputs),
            "method_version": METHOD_VERSION,
            "uses_unpublished": uses_unpublished,
        },
        "timing": {"total_s": seconds, "ghetool_s": design.get("ghetool_seconds", 0.0)},
    }


def _defaults_used(inputs: dict[str, Any]) -> dict[str, Any]:
    defaults = {
        "spacing_m": (DEFAULT_SPACING_M, "MOE-GL4-2024 §3.2(4): 6 m or more on the safe side"),
        "setback_m": (DEFAULT_SETBACK_M, "inferred: keep boreholes off the parcel edge (※1)"),
        "max_length_m": (DEFAULT_MAX_LENGTH_M, "inferred: common small-rig depth"),
        "borehole_resistance_m_k_per_w": (
            DEFAULT_BOREHOLE_RESISTANCE_M_K_PER_W,
            "GRASS r.green.gshp default (methods.md §3.2)",
        ),
        "circulation_pump_share": (CIRCULATION_PUMP_SHARE, "inferred"),
    }
    return {k: {"value": v, "source": s} for k, (v, s) in defaults.items() if k not in inputs}


def _closed_loop(
    region, inputs, answer, building, conductivity, ground_k, cop, eer, parcel_m, used, progress
) -> dict[str, Any]:  # type: ignore[no-untyped-def]
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
    gpot = _value(answer, LayerKind.CLOSED_LOOP_HEATING) or 0.0
    ground_annual = building.annual_heating_j * (1 - 1 / cop)
    start = sizing.start_count(ground_annual, gpot)
    fluid_min = float(params["fluid_min_temperature_k"])
    fluid_max = float(params["fluid_max_temperature_k"])
    resistance = float(
        inputs.get("borehole_resistance_m_k_per_w", DEFAULT_BOREHOLE_RESISTANCE_M_K_PER_W)
    )
    bands: dict[str, Any] = {}
    ghetool_seconds, calls = 0.0, 0
    # λ's P10 gives the longest field (the P90 of length), its P90 the shortest.
    for step, (length_band, lam_band) in enumerate(
        (("p50", "p50"), ("p90", "p10"), ("p10", "p90"))
    ):
        lam = conductivity[lam_band] or conductivity["p50"]
        try:
            result = sizing.size_field(
                building,
                lam,
                ground_k,
                DEFAULT_HEAT_CAPACITY_J_PER_M3_K,
                resistance,
                fluid_min,
                fluid_max,
                cop,
                eer,
                spacing,
                fits,
                start_count=start,
                min_length_m=min(30.0, max_length),
                max_length_m=max_length,
            )
        except sizing.SizingError as exc:
            message = _sizing_message(exc, spacing, max_length, fluid_min, fluid_max)
            if length_band != "p50" and exc.needed:  # a band beyond the parcel: say so
                bands[length_band] = {"refused": message}
                continue
            raise Refused(message) from exc
        ghetool_seconds += result.ghetool_seconds
        calls += result.ghetool_calls
        bands[length_band] = result.as_dict()
        start = result.count
        progress(0.25 + 0.2 * (step + 1), "Sizing the ground side")
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


def _open_loop(region, inputs, answer, building, flow, cop, eer, location, user):  # type: ignore[no-untyped-def]
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
    depth_to_water = (
        _value(answer, LayerKind.GROUNDWATER_DEPTH) or physical_defaults.DEPTH_TO_WATER_M
    )
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


def _carrier_energy(region: Region, carrier: str, heat_j: float, used: dict[str, Any]) -> dict:
    """Cost and CO2 of `heat_j` J of final energy of a carrier (fuel J or electricity J)."""
    if carrier not in CARRIER_KEYS:
        raise Refused(_("Unknown energy carrier %(carrier)r.") % {"carrier": carrier})
    co2_key, price_key, value_key = CARRIER_KEYS[carrier]
    co2 = required_value(region, co2_key, used)
    price = required_value(region, price_key, used)
    units = heat_j / required_value(region, value_key, used) if value_key else heat_j
    return {"j": heat_j, "cost": units * price, "co2_kg": heat_j * co2}


def _economics(region, inputs, building, design, cop, eer, used) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    heating_j, cooling_j = building.annual_heating_j, building.annual_cooling_j
    # The ground-source system: heat pump, plus circulation or well pumps.
    electricity = heating_j / cop + cooling_j / eer
    if design["kind"] == "closed_loop":
        pumps = CIRCULATION_PUMP_SHARE * (heating_j + cooling_j)
    else:
        hours = (heating_j + cooling_j) / max(design["ground_peak_w"], 1.0)  # full-load, s
        pumps = design["pump_power_w"] * hours
    system = _carrier_energy(region, "electricity", electricity + pumps, used)

    baseline_parts, baselines = [], {}
    for mode, demand in (("heating", heating_j), ("cooling", cooling_j)):
        if demand <= 0:
            continue
        chosen = baseline(region, mode, inputs.get(f"baseline_{mode}"))
        if chosen is None:
            raise Refused(
                _("The region %(region)s has no %(mode)s baseline to compare with.")
                % {"region": region.code, "mode": mode}
            )
        part = _carrier_energy(region, chosen.carrier, demand / chosen.efficiency, used)
        baseline_parts.append(part)
        baselines[mode] = {
            "code": chosen.code,
            "name": chosen.name_en,
            "carrier": chosen.carrier,
            "efficiency": chosen.efficiency,
            "provenance": chosen.provenance,
            "source": chosen.source,
            **part,
        }
    baseline_cost = sum(p["cost"] for p in baseline_parts)
    baseline_co2 = sum(p["co2_kg"] for p in baseline_parts)

    capacity_w = max(float(building.heating_peak_w.max()), float(building.cooling_peak_w.max()))
    heat_pump = capacity_w * required_value(region, "heat_pump_cost_per_w", used)
    fixed = required_value(region, "system_fixed_cost", used)

    def capex(band: str) -> float | None:
        if design["kind"] == "closed_loop":
            total = design["bands"].get(band, {}).get("total_length_m")
            if total is None:
                return None
            return total * required_value(region, "bhe_cost_per_m", used) + heat_pump + fixed
        wells = design["bands"][band]["pumping_wells"]
        exchanger = (
            capacity_w * required_value(region, "heat_exchanger_cost_per_w", used)
            if design["heat_exchanger"]
            else 0.0
        )
        return (
            wells * PUMPING_WELL_DEPTH_M * required_value(region, "pumping_well_cost_per_m", used)
            + wells
            * open_loop_design.REINJECTION_PER_PUMPING_WELL
            * REINJECTION_WELL_DEPTH_M
            * required_value(region, "reinjection_well_cost_per_m", used)
            + exchanger
            + heat_pump
            + fixed
        )

    programme = None
    if code := inputs.get("subsidy"):
        programme = subsidy_programme(region, code)
    results = {}
    for band in ("p10", "p50", "p90"):
        cost = capex(band)
        if cost is None:
            results[band] = None
            continue
        grant = float(subsidy_amount(cost, programme.rate, programme.cap)) if programme else 0.0
        payback = economics.simple_payback_years(cost, grant, baseline_cost, system["cost"])
        results[band] = {"capex": cost, "subsidy": grant, "payback": payback}
    p50 = results["p50"]
    annual_saving = baseline_cost - system["cost"]
    return {
        "system": {"electricity_j": electricity + pumps, "pumps_j": pumps, **system},
        "baselines": baselines,
        "baseline_cost": baseline_cost,
        "baseline_co2_kg": baseline_co2,
        "annual_saving": annual_saving,
        "co2_saved_kg": baseline_co2 - system["co2_kg"],
        "energy": economics.savings(sum(p["j"] for p in baseline_parts), electricity + pumps),
        "heat_pump_capacity_w": capacity_w,
        "scop": (heating_j + cooling_j) / (electricity + pumps) if electricity + pumps else None,
        "bands": results,
        "cash_flow": economics.cumulative_cash_flow(
            p50["capex"], p50["subsidy"], annual_saving, YEARS
        )
        if p50
        else None,
        "subsidy_programme": programme.code if programme else None,
        "available_subsidies": list(subsidy_programmes(region).values_list("code", flat=True)),
    }


def _regulation(constraint: dict[str, Any] | None, constraint_class: float | None) -> dict:
    if not constraint:
        return {"class": None, "verdict": "no groundwater rule layer here"}
    rule_index = (constraint.get("values") or {}).get("rule")
    rules = (constraint.get("definition") or {}).get("rules", [])
    rule = (
        rules[int(rule_index)] if rule_index is not None and 0 <= rule_index < len(rules) else None
    )
    verdict = {0: "no rule", 1: "notification or application", 2: "prohibited"}.get(
        int(constraint_class or 0), "unknown"
    )
    return {"class": constraint_class, "verdict": verdict, "rule": rule}
