"""An estimate's life: asked for (an identical request reuses the stored estimate or follows
the one still running), computed here when quick or queued for a worker when not, stored with
its result or the reason it was refused. The computation reads the map at the parcel, chooses
the system, and hands the ground side to services.design and the money to services.economics.
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
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.jobs import dispatch
from core.lib.jsonsafe import finite
from core.models import Job, Region
from estimates.domain import loads, selection
from estimates.models import METHOD_VERSION, Estimate
from estimates.services import design
from estimates.services.design import (
    DEFAULT_BOREHOLE_RESISTANCE_M_K_PER_W,
    DEFAULT_MAX_LENGTH_M,
    DEFAULT_SETBACK_M,
    DEFAULT_SPACING_M,
)
from estimates.services.economics import CIRCULATION_PUMP_SHARE, estimate_economics
from estimates.services.errors import Refused
from field_tests.models import FieldTestAnalysis
from potential_map import rasters
from potential_map.choices import LayerKind
from potential_map.models import MapLayer
from potential_map.services.read import LayerAnswer, MapAnswer, parcel_summary, point_provenance
from reference.services import (
    MissingReference,
    monthly_temperatures,
    read_once,
    reference_versions,
    required_value,
)


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
        # the versions (pks) of the prices and factors that hold today: a changed price makes a
        # new estimate; a stored one keeps the values it used (in its provenance)
        "reference": reference_versions(region, timezone.localdate()),
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
        dispatch(job, compute_estimate)  # after commit; a broker down leaves it queued
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


def compute(estimate: Estimate, user: Any, job: Job | None = None) -> dict[str, Any]:
    """The estimate's result; the region's reference values are read once for all of it."""
    # the values that held when it was asked for (the reuse key's), even on a late worker
    with read_once(estimate.region, on=timezone.localdate(estimate.created_at)):
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
    answer: MapAnswer
    if estimate.parcel is not None:
        answer = parcel_summary(region, estimate.parcel, user)
        parcel_m = rasters.to_metric(bytes(estimate.parcel.wkb), region.raster_crs_epsg)
        if parcel_m.area <= 0:
            raise Refused(_("The parcel has no area."))
    else:
        answer = point_provenance(region, location.x, location.y, user)
        parcel_m = None
    conductivity = {b: answer.value(LayerKind.CONDUCTIVITY, b) for b in ("p50", "p10", "p90")}
    # T0's band (P10/P90 from the stations' kriging variance and the ground offset's spread)
    # is recorded with the estimate; the ground side is sized at P50, as before.
    ground_bands = {b: answer.value(LayerKind.GROUND_TEMPERATURE, b) for b in ("p50", "p10", "p90")}
    ground_k = ground_bands["p50"]
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

    constraint = answer.layer(LayerKind.CONSTRAINTS_OPEN_LOOP)
    constraint_class = answer.value(LayerKind.CONSTRAINTS_OPEN_LOOP, "class")
    if constraint is not None and constraint.parcel is not None:
        constraint_class = constraint.parcel.strictest_class
    flow = {b: answer.value(LayerKind.OPEN_LOOP_FLOW, b) for b in ("p50", "p10", "p90")}
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
        ground_side = design.closed_loop(
            region,
            inputs,
            answer,
            building,
            conductivity,
            ground_k,
            cop,
            eer,
            parcel_m,
            progress,
        )
    else:
        ground_side = design.open_loop(
            region, inputs, answer, building, flow, cop, eer, location, user
        )

    progress(0.85, "Costs, savings and CO2")
    money = estimate_economics(region, inputs, building, ground_side, cop, eer, used)
    regulation = _regulation(constraint, constraint_class)
    seconds = time.perf_counter() - started
    layers_used = {
        kind: {
            "version": layer.version,
            "units": layer.units,
            "method": layer.method,
            "nearest_boreholes": [b.as_dict() for b in layer.nearest_boreholes[:3]],
        }
        for kind, layer in answer.layers.items()
    }
    uses_unpublished = _uses_unpublished(region, layers_used, ground_side.get("water_chemistry"))
    return {
        "system": chosen,
        "selection": choice,
        "loads": building.as_dict(),
        "ground": {
            "conductivity_w_per_m_k": conductivity,
            "ground_temperature_k": ground_k,
            "ground_temperature_bands_k": ground_bands,
            "open_loop_flow_m3_per_s": flow,
        },
        "design": ground_side,
        "economics": money,
        "regulation": regulation,
        "climate": climate,
        "parcel": answer.parcel.as_dict() if answer.parcel is not None else None,
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
        "timing": {"total_s": seconds, "ghetool_s": ground_side.get("ghetool_seconds", 0.0)},
    }


def _uses_unpublished(
    region: Region, layers_used: dict[str, Any], chemistry: dict[str, Any] | None
) -> bool:
    """Whether anything the estimate read is hidden from the public: a layer version that is
    not public (unpublished, superseded, made of a withdrawn batch, or of an unpublished
    region), or the water-chemistry analysis it screened with. The maker sees what they may
    (a steward their drafts); the estimate then opens only for those who may see them too."""
    public_layers = set(
        MapLayer.objects.filter(region=region).public().values_list("kind", "version")
    )
    if any((kind, info["version"]) not in public_layers for kind, info in layers_used.items()):
        return True
    if chemistry is not None:
        analyses = FieldTestAnalysis.objects.public()
        if not analyses.filter(pk=chemistry["analysis"]).exists():
            return True
    return not region.published


def _defaults_used(inputs: dict[str, Any]) -> dict[str, Any]:
    defaults = {
        "spacing_m": (DEFAULT_SPACING_M, "MOE-GL4-2024 §3.2(4): 6 m or more on the safe side"),
        "setback_m": (DEFAULT_SETBACK_M, "inferred: keep boreholes off the parcel edge (※1)"),
        "max_length_m": (DEFAULT_MAX_LENGTH_M, "inferred: common small-rig depth"),
        "borehole_resistance_m_k_per_w": (
            DEFAULT_BOREHOLE_RESISTANCE_M_K_PER_W,
            "GRASS r.green.gshp doctests (GRASS-RGREEN)",
        ),
        "circulation_pump_share": (CIRCULATION_PUMP_SHARE, "inferred"),
    }
    return {k: {"value": v, "source": s} for k, (v, s) in defaults.items() if k not in inputs}


def _regulation(constraint: LayerAnswer | None, constraint_class: float | None) -> dict:
    if constraint is None:
        return {"class": None, "verdict": "no groundwater rule layer here"}
    rule_index = constraint.values.get("rule")
    rules = (constraint.definition or {}).get("rules", [])
    rule = (
        rules[int(rule_index)] if rule_index is not None and 0 <= rule_index < len(rules) else None
    )
    verdict = {0: "no rule", 1: "notification or application", 2: "prohibited"}.get(
        int(constraint_class or 0), "unknown"
    )
    return {"class": constraint_class, "verdict": verdict, "rule": rule}
