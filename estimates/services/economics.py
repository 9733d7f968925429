"""The money and CO2 of an estimate: the region's prices, factors and baselines (reference
data, each recorded in `used` with its source), the arithmetic in estimates.domain.economics.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.models import Region
from estimates.domain import economics, loads, open_loop_design
from estimates.services.design import PUMPING_WELL_DEPTH_M, REINJECTION_WELL_DEPTH_M
from estimates.services.errors import Refused
from reference.domain.economics import subsidy as subsidy_amount
from reference.services import (
    CARRIER_KEYS,
    baseline,
    required_value,
    subsidy_programme,
    subsidy_programmes,
)

YEARS = 25  # of the cash-flow table
CIRCULATION_PUMP_SHARE = 0.03  # closed-loop circulation pump, share of delivered heat (inferred)


def _carrier_energy(
    region: Region, carrier: str, heat_j: float, used: dict[str, Any]
) -> dict[str, float]:
    """Cost and CO2 of `heat_j` J of final energy of a carrier (fuel J or electricity J)."""
    if carrier not in CARRIER_KEYS:
        raise Refused(_("Unknown energy carrier %(carrier)r.") % {"carrier": carrier})
    co2_key, price_key, value_key = CARRIER_KEYS[carrier]
    co2 = required_value(region, co2_key, used)
    price = required_value(region, price_key, used)
    j_per_unit = required_value(region, value_key, used) if value_key else None
    return economics.carrier_cost_and_co2(heat_j, price, co2, j_per_unit)


def estimate_economics(
    region: Region,
    inputs: dict[str, Any],
    building: loads.MonthlyLoads,
    design: dict[str, Any],
    cop: float,
    eer: float,
    used: dict[str, Any],
) -> dict[str, Any]:
    """Running energy, cost and CO2 of the system against the region's baselines, first cost
    with subsidy and payback per band, and the cash flow at P50."""
    heating_j, cooling_j = building.annual_heating_j, building.annual_cooling_j
    # The ground-source system: heat pump, plus circulation or well pumps.
    electricity = economics.heat_pump_electricity_j(heating_j, cooling_j, cop, eer)
    if design["kind"] == "closed_loop":
        pumps = economics.circulation_pump_j(heating_j, cooling_j, CIRCULATION_PUMP_SHARE)
    else:
        pumps = economics.well_pump_j(
            heating_j, cooling_j, design["ground_peak_w"], design["pump_power_w"]
        )
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
            return economics.closed_loop_capex(
                total, required_value(region, "bhe_cost_per_m", used), heat_pump, fixed
            )
        wells = design["bands"][band]["pumping_wells"]
        exchanger = (
            capacity_w * required_value(region, "heat_exchanger_cost_per_w", used)
            if design["heat_exchanger"]
            else 0.0
        )
        return economics.open_loop_capex(
            wells,
            PUMPING_WELL_DEPTH_M,
            required_value(region, "pumping_well_cost_per_m", used),
            open_loop_design.REINJECTION_PER_PUMPING_WELL,
            REINJECTION_WELL_DEPTH_M,
            required_value(region, "reinjection_well_cost_per_m", used),
            exchanger,
            heat_pump,
            fixed,
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
        "scop": economics.seasonal_cop(heating_j + cooling_j, electricity + pumps),
        "bands": results,
        "cash_flow": economics.cumulative_cash_flow(
            p50["capex"], p50["subsidy"], annual_saving, YEARS
        )
        if p50
        else None,
        "subsidy_programme": programme.code if programme else None,
        "available_subsidies": list(subsidy_programmes(region).values_list("code", flat=True)),
    }
