"""Run the field-test analyses on stored records and keep each result as a version.

Thin layer: the numbers come from field_tests.domain; this module picks the parameters
(defaults from the literature, a steward's window when given), stores them with the result,
and keeps older versions.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce

from core.lib import physical_defaults
from core.lib.jsonsafe import finite
from field_tests.domain import groundwater_flow, pumping, temperature_logs, trt, water_quality
from field_tests.models import AnalysisKind, FieldTestAnalysis
from wells.models import (
    Borehole,
    GroundwaterFlowReading,
    PumpingTest,
    TemperatureLog,
    ThermalResponseTest,
    WaterChemistrySample,
)

# Assumed when the TRT record does not give them (stored with every result that uses them).
TRT_BOREHOLE_RADIUS_M = physical_defaults.BOREHOLE_RADIUS_M
TRT_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K = (
    physical_defaults.TRT_GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K
)
JACOB_WINDOW_START_S = 100 * 60.0  # YOSHIOKA-2014 §4-2-②: the straight part after 100 min
DEFAULT_ALLOWED_DRAWDOWN_M = physical_defaults.ALLOWED_DRAWDOWN_M
MG_PER_L_PER_KG_PER_M3 = 1000.0
# Above the Japanese drinking-water limits, iron and manganese precipitate and clog
# reinjection wells (水質基準に関する省令: Fe ≤ 0.3, Mn ≤ 0.05 mg/L; MOE-GL4-2024 §3.2(4)).
CLOGGING_IRON_MG_PER_L = 0.3
CLOGGING_MANGANESE_MG_PER_L = 0.05

CHEMISTRY_ITEMS = {  # screening item → model field (kg/m³ → mg/L ×1000; S/m → mS/m ×1000)
    "chloride": "chloride_kg_per_m3",
    "sulfate": "sulfate_kg_per_m3",
    "acid_consumption": "acid_consumption_kg_per_m3",
    "total_hardness": "total_hardness_kg_per_m3",
    "calcium_hardness": "calcium_hardness_kg_per_m3",
    "ionic_silica": "ionic_silica_kg_per_m3",
    "iron": "iron_kg_per_m3",
    "copper": "copper_kg_per_m3",
    "ammonium": "ammonium_kg_per_m3",
    "free_co2": "free_co2_kg_per_m3",
    "electrical_conductivity": "electrical_conductivity_s_per_m",
}
IONS = {
    "calcium": "calcium_kg_per_m3",
    "magnesium": "magnesium_kg_per_m3",
    "sodium": "sodium_kg_per_m3",
    "potassium": "potassium_kg_per_m3",
    "bicarbonate": "bicarbonate_kg_per_m3",
    "sulfate": "sulfate_kg_per_m3",
    "chloride": "chloride_kg_per_m3",
    "nitrate": "nitrate_kg_per_m3",
}


@transaction.atomic
def _store(
    borehole: Borehole,
    kind: str,
    method: str,
    parameters: dict[str, Any],
    result: dict[str, Any],
    user: Any = None,
    **source: Any,
) -> FieldTestAnalysis:
    """A new current version; the earlier ones of the same source stay, not current."""
    lookup = {"borehole": borehole, "kind": kind, **source}
    for name in (
        "thermal_response_test",
        "pumping_test",
        "temperature_log",
        "water_chemistry_sample",
    ):
        lookup.setdefault(name, None)
    versions = FieldTestAnalysis.objects.select_for_update().filter(**lookup)
    latest = versions.aggregate(latest=Max("version"))["latest"] or 0
    versions.update(is_current=False)
    return FieldTestAnalysis.objects.create(
        region_id=borehole.region_id,
        version=latest + 1,
        is_current=True,
        method=method,
        parameters=parameters,
        result=finite(result),
        created_by=user if getattr(user, "is_authenticated", False) else None,
        **lookup,
    )


def analyse_trt(
    test: ThermalResponseTest, window_s: tuple[float, float] | None = None, user: Any = None
) -> FieldTestAnalysis:
    """ILS slope fit over the steward's window, or the literature default (12 h to the end)."""
    window = window_s or trt.default_window_s(test.time_s)
    parameters = {
        "window_s": list(window),
        "window_basis": "steward" if window_s else "default: 12 h to the end (Gehlin 2002)",
        "active_length_m": test.active_length_m,
        "fluid_temperature": "mean of inlet and outlet",
        "heat_rate": "mean power over the window / active length",
        "borehole_radius_m": TRT_BOREHOLE_RADIUS_M,
        "volumetric_heat_capacity_j_per_m3_k": TRT_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
        "undisturbed_temperature_k": test.undisturbed_temperature_k,
        "conductivity_type": "effective (apparent where groundwater flows, MOE-GL4-2024)",
    }
    result = trt.ils_fit(
        test.time_s,
        test.inlet_temperature_k,
        test.outlet_temperature_k,
        test.heating_power_w,
        test.active_length_m,
        window,
        TRT_BOREHOLE_RADIUS_M,
        TRT_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
        test.undisturbed_temperature_k,
    ).as_dict()
    return _store(
        test.borehole,
        AnalysisKind.TRT,
        "infinite line source slope (Gehlin 2002)",
        parameters,
        result,
        user,
        thermal_response_test=test,
    )


def analyse_pumping_test(
    test: PumpingTest,
    window_s: tuple[float, float] | None = None,
    allowed_drawdown_m: float = DEFAULT_ALLOWED_DRAWDOWN_M,
    user: Any = None,
) -> FieldTestAnalysis | None:
    if test.kind == "step" and test.static_level_m is not None and len(test.level_m) >= 2:
        drawdown = pumping.step_drawdowns_m(test.static_level_m, test.level_m)
        capacity = pumping.specific_capacity_m2_per_s(test.rate_m3_per_s, drawdown)
        result = {
            "rate_m3_per_s": list(test.rate_m3_per_s),
            "drawdown_m": drawdown.tolist(),
            "specific_capacity_m2_per_s": capacity.tolist(),
            **pumping.step_trend(capacity),
            "sustainable_rate_m3_per_s": pumping.sustainable_rate_m3_per_s(
                test.rate_m3_per_s, drawdown, allowed_drawdown_m
            ),
            "transmissivity_m2_per_s": float(
                pumping.transmissivity_from_specific_capacity(test.rate_m3_per_s[0], drawdown[0])
            ),
            "transmissivity_basis": "Logan T ≈ 1.22 Q/s of the first step",
        }
        return _store(
            test.borehole,
            AnalysisKind.STEP_TEST,
            "step-drawdown: specific capacity per step (YOSHIOKA-2014 §4-2-②)",
            {"allowed_drawdown_m": allowed_drawdown_m, "static_level_m": test.static_level_m},
            result,
            user,
            pumping_test=test,
        )
    if test.kind == "constant_rate" and test.static_level_m is not None:
        window = window_s or (JACOB_WINDOW_START_S, float(test.time_s[-1]))
        fitted = pumping.jacob_fit(
            test.time_s,
            test.level_m,
            test.rate_m3_per_s,
            test.static_level_m,
            window,
            test.aquifer_thickness_m,
        )
        return _store(
            test.borehole,
            AnalysisKind.CONSTANT_RATE,
            "Cooper–Jacob straight line (Cooper & Jacob 1946)",
            {
                "window_s": list(window),
                "window_basis": "steward" if window_s else "default: t ≥ 100 min (YOSHIOKA-2014)",
                "static_level_m": test.static_level_m,
                "aquifer_thickness_m": test.aquifer_thickness_m,
            },
            fitted.as_dict(),
            user,
            pumping_test=test,
        )
    return None


def analyse_temperature_log(log: TemperatureLog, user: Any = None) -> FieldTestAnalysis:
    depth = np.asarray(log.depths_m)
    temperature = np.asarray(log.temperatures_k)
    deep = depth >= 10
    result = {
        "mean_below_10_m_k": temperature_logs.interval_mean_k(depth, temperature, 10, depth.max())
        if deep.sum() >= 2
        else None,
        "overall_gradient_k_per_m": float(np.polyfit(depth[deep], temperature[deep], 1)[0])
        if deep.sum() >= 2
        else None,
        "inflow_flags": temperature_logs.inflow_flags(depth, temperature),
    }
    return _store(
        log.borehole,
        AnalysisKind.TEMPERATURE_LOG,
        "interval means and gradient steps (YOSHIOKA-2014 §4-2-③(1))",
        {
            "flag_gradient_k_per_m": temperature_logs.DEFAULT_FLAG_GRADIENT_K_PER_M,
            "seasonal_zone_m": 10,
        },
        result,
        user,
        temperature_log=log,
    )


def analyse_flow(borehole: Borehole, user: Any = None) -> FieldTestAnalysis | None:
    """Per depth: direction and velocity of the published readings, first reading dropped."""
    readings = GroundwaterFlowReading.objects.filter(borehole=borehole, published=True).order_by(
        "depth_m", "measured_at", "reading"
    )
    by_depth: dict[float, list[GroundwaterFlowReading]] = defaultdict(list)
    for reading in readings:
        by_depth[reading.depth_m].append(reading)
    if not by_depth:
        return None
    summaries = [
        {
            "depth_m": depth,
            **groundwater_flow.summarise_readings(
                [r.direction_deg for r in rows], [r.velocity_m_per_s for r in rows]
            ),
        }
        for depth, rows in sorted(by_depth.items())
    ]
    return _store(
        borehole,
        AnalysisKind.GROUNDWATER_FLOW,
        "circular mean direction, transient first reading dropped (YOSHIOKA-2014 §4-2-③(3))",
        {"drop_first": True, "direction": "azimuth the flow goes toward (inferred)"},
        {"depths": summaries},
        user,
    )


def _reported(sample: WaterChemistrySample, field: str, factor: float) -> Any:
    qualifier = (sample.qualifiers or {}).get(field)
    value = getattr(sample, field)
    if qualifier == "nd":
        return "nd"
    if value is None:
        return None
    return ("<", value * factor) if qualifier == "<" else value * factor


def analyse_chemistry(
    sample: WaterChemistrySample,
    set_name: str = water_quality.DEFAULT_SET,
    system: str = water_quality.DEFAULT_SYSTEM,
    user: Any = None,
) -> FieldTestAnalysis:
    values: dict[str, Any] = {"ph": sample.ph, "stability_index": sample.stability_index}
    for item, field in CHEMISTRY_ITEMS.items():
        values[item] = _reported(sample, field, MG_PER_L_PER_KG_PER_M3)
    screening = water_quality.screen_sample(values, set_name, system)
    ions = {ion: _plain(sample, field) for ion, field in IONS.items()}
    indices = None
    ec = _plain(sample, "electrical_conductivity_s_per_m")  # mS/m after ×1000
    calcium_hardness = _plain(sample, "calcium_hardness_kg_per_m3")
    alkalinity = _plain(sample, "acid_consumption_kg_per_m3")
    temperature_c = (
        sample.water_temperature_k - 273.15 if sample.water_temperature_k is not None else None
    )
    if sample.ph and ec and calcium_hardness and alkalinity and temperature_c is not None:
        tds = water_quality.TDS_PER_EC_MG_PER_L_PER_US_PER_CM * ec * 10  # mS/m → µS/cm
        indices = water_quality.langelier(
            sample.ph, temperature_c, tds, calcium_hardness, alkalinity
        )
        indices["ryznar_tendency"] = water_quality.rsi_tendency(indices["ryznar_index"])
    iron, manganese = _plain(sample, "iron_kg_per_m3"), _plain(sample, "manganese_kg_per_m3")
    clogging = [
        name
        for name, value, limit in (
            ("iron", iron, CLOGGING_IRON_MG_PER_L),
            ("manganese", manganese, CLOGGING_MANGANESE_MG_PER_L),
        )
        if value is not None and value > limit
    ]
    result = {
        "screening": screening,
        "heat_exchanger_needed": screening["heat_exchanger_needed"],
        "ion_balance_error_percent": water_quality.ion_balance_error_percent(ions),
        "piper_percent": water_quality.piper_percentages(ions),
        "stiff_meq_per_l": water_quality.stiff_meq_per_l(ions),
        "saturation_indices": indices,
        "clogging_risk": clogging,
    }
    return _store(
        sample.borehole,
        AnalysisKind.WATER_CHEMISTRY,
        "guideline screening (JRA GL-02-1994), Langelier / Ryznar, ion balance",
        {
            "limit_set": set_name,
            "system": system,
            "tds_per_ec": water_quality.TDS_PER_EC_MG_PER_L_PER_US_PER_CM,
            "clogging_limits_mg_per_l": {
                "iron": CLOGGING_IRON_MG_PER_L,
                "manganese": CLOGGING_MANGANESE_MG_PER_L,
            },
        },
        result,
        user,
        water_chemistry_sample=sample,
    )


def _plain(sample: WaterChemistrySample, field: str) -> float | None:
    """A measured value in mg/L (or mS/m); None when missing or censored."""
    if (sample.qualifiers or {}).get(field):
        return None
    value = getattr(sample, field)
    return None if value is None else value * MG_PER_L_PER_KG_PER_M3


def analyse_borehole(borehole: Borehole, allowed_drawdown_m: float | None = None) -> int:
    """Analyse every record of a borehole that has no current analysis, or whose record
    changed since (a re-import): a steward's window is kept for the new version. Returns how
    many analyses were made. Series a method cannot use are skipped here; their page says why
    when a steward runs the analysis."""
    current = {
        (a.kind, a.source_id): a
        for a in FieldTestAnalysis.objects.filter(borehole=borehole, is_current=True)
    }
    drawdown = allowed_drawdown_m or DEFAULT_ALLOWED_DRAWDOWN_M

    def stale(kind: str, record: Any) -> FieldTestAnalysis | bool:
        analysis = current.get((kind, record.pk))
        if analysis is None:
            return True
        return analysis if analysis.created_at < record.updated_at else False

    def window(previous: FieldTestAnalysis | bool) -> tuple[float, float] | None:
        if (
            isinstance(previous, FieldTestAnalysis)
            and previous.parameters.get("window_basis") == "steward"
        ):
            return tuple(previous.parameters["window_s"])  # type: ignore[return-value]
        return None

    made = 0
    runs: list[Any] = []
    for test in borehole.thermalresponsetests.all():
        if previous := stale(AnalysisKind.TRT, test):
            runs.append(lambda t=test, p=previous: analyse_trt(t, window(p)))
    for test in borehole.pumpingtests.all():
        kind = AnalysisKind.STEP_TEST if test.kind == "step" else AnalysisKind.CONSTANT_RATE
        if previous := stale(kind, test):
            runs.append(
                lambda t=test, p=previous: analyse_pumping_test(
                    t, window(p), allowed_drawdown_m=drawdown
                )
            )
    for log in borehole.temperaturelogs.all():
        if stale(AnalysisKind.TEMPERATURE_LOG, log):
            runs.append(lambda record=log: analyse_temperature_log(record))
    for sample in borehole.waterchemistrysamples.all():
        if stale(AnalysisKind.WATER_CHEMISTRY, sample):
            runs.append(lambda record=sample: analyse_chemistry(record))
    for run in runs:
        try:
            made += run() is not None
        except (trt.TrtError, pumping.PumpingTestError, ValueError):
            continue
    readings = GroundwaterFlowReading.objects.filter(borehole=borehole, published=True)
    newest = readings.aggregate(newest=Max("updated_at"))["newest"]
    flow = current.get((AnalysisKind.GROUNDWATER_FLOW, None))
    if newest is not None and (flow is None or flow.created_at < newest):
        made += analyse_flow(borehole) is not None
    return made


def _current_released(region: Any, kind: str):  # type: ignore[no-untyped-def]
    """Current analyses of a kind whose borehole and record are released (each published, with
    its batch) and located: what the map may use (AnalysisQuerySet.release_filter)."""
    return (
        FieldTestAnalysis.objects.filter(
            region=region, kind=kind, is_current=True, borehole__location__isnull=False
        )
        .released()
        .select_related("borehole")
        # the analysed record's batch, without reading its series
        .annotate(record_batch=Coalesce("thermal_response_test__batch", "pumping_test__batch"))
    )


def _site(analysis: FieldTestAnalysis) -> dict[str, Any]:
    """Where an analysis stands, and the batches of its borehole and of the record it analysed
    (a map made with it records them; `record_batch` is _current_released's annotation)."""
    return {
        "analysis": analysis.pk,
        "borehole": analysis.borehole.code,
        "lon": analysis.borehole.location.x,
        "lat": analysis.borehole.location.y,
        "batches": sorted(
            {b for b in (analysis.borehole.batch_id, analysis.record_batch) if b is not None}
        ),
    }


def current_trt_conductivities(region: Any) -> list[dict[str, Any]]:
    """The current TRT λ of each published TRT borehole of a region (the map's override)."""
    return [
        {
            **_site(a),
            "version": a.version,
            "conductivity_w_per_m_k": a.result["conductivity_w_per_m_k"],
            "window_s": a.parameters["window_s"],
        }
        for a in _current_released(region, AnalysisKind.TRT)
        if a.result.get("conductivity_w_per_m_k")
    ]


def current_jacob_transmissivities(region: Any) -> list[dict[str, Any]]:
    """Cooper–Jacob T of each published constant-rate test of a region (open-loop feed)."""
    return [
        {
            **_site(a),
            "test": a.pumping_test_id,
            "transmissivity_m2_per_s": a.result["transmissivity_m2_per_s"],
            "aquifer_thickness_m": a.result.get("aquifer_thickness_m"),
        }
        for a in _current_released(region, AnalysisKind.CONSTANT_RATE)
    ]
