"""The money and CO2 of an estimate: the region's prices, factors and baselines (reference
data, each recorded in `used` with its source), the arithmetic in estimates.domain.economics.

Carriers are compared through primary energy, cost and CO2, never as joules of fuel minus
joules of electricity (MOE-GL4-2024 figs 11–12); a boiler's fuel is its heat ÷ η ÷ the lower
heating value (OKINAWA-FY2017 Table 2.2.10); the running cost includes the electricity demand
charge (fig. 11 note ※4); a subsidy covers its programme's eligible sides only (YOSHIOKA-2014
§5.4); the baseline's purchase is credited in the payback only when the reference data prices
it (methods reference case M-28; unknown, M-28c: not credited, and the result says so).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.models import Region
from estimates.domain import economics, loads, open_loop_design
from estimates.services.design import PUMPING_WELL_DEPTH_M, REINJECTION_WELL_DEPTH_M
from estimates.services.errors import Refused
from reference.domain.economics import CostLine, eligible_cost, eligible_sides, subsidy_for_lines
from reference.models import Baseline
from reference.services import (
    CARRIER_KEYS,
    CARRIER_LOWER_HEATING_VALUE_KEYS,
    CARRIER_PRIMARY_KEYS,
    baseline,
    optional_value,
    required_value,
    subsidy_programme,
    subsidy_programmes,
)

YEARS = 25  # of the cash-flow table
CIRCULATION_PUMP_SHARE = 0.03  # closed-loop circulation pump, share of delivered heat (inferred)
DEMAND_PRICE_KEY = "electricity_base_price_per_w_month"


def carrier(region: Region, name: str, used: dict[str, Any]) -> economics.Carrier:
    """A carrier's price, CO2 and primary-energy factors and heating values, from the region's
    reference values (each noted in `used`)."""
    if name not in CARRIER_KEYS:
        raise Refused(_("Unknown energy carrier %(carrier)r.") % {"carrier": name})
    co2_key, price_key, value_key = CARRIER_KEYS[name]
    lower_key = CARRIER_LOWER_HEATING_VALUE_KEYS[name]
    return economics.Carrier(
        name=name,
        price_per_unit=required_value(region, price_key, used),
        co2_kg_per_j=required_value(region, co2_key, used),
        primary_energy_j_per_j=required_value(region, CARRIER_PRIMARY_KEYS[name], used),
        heating_value_j_per_unit=required_value(region, value_key, used) if value_key else None,
        lower_heating_value_j_per_unit=optional_value(region, lower_key, used)
        if lower_key
        else None,
    )


def baseline_capex_key(code: str) -> str:
    """The reference value that prices a baseline's purchase per W of its capacity."""
    return f"baseline_{code.replace('-', '_')}_cost_per_w"


def _capex_lines(
    region: Region,
    design: dict[str, Any],
    band: str,
    heat_pump: float,
    fixed: float,
    capacity_w: float,
    used: dict[str, Any],
) -> list[CostLine] | None:
    """The investment of one band as lines with their side; None for a band with no field."""
    if design["kind"] == "closed_loop":
        total = design["bands"].get(band, {}).get("total_length_m")
        if total is None:
            return None
        return economics.closed_loop_capex_lines(
            total, required_value(region, "bhe_cost_per_m", used), heat_pump, fixed
        )
    wells = int(design["bands"][band]["pumping_wells"])
    exchanger = (
        capacity_w * required_value(region, "heat_exchanger_cost_per_w", used)
        if design["heat_exchanger"]
        else 0.0
    )
    return economics.open_loop_capex_lines(
        wells,
        PUMPING_WELL_DEPTH_M,
        required_value(region, "pumping_well_cost_per_m", used),
        wells * open_loop_design.REINJECTION_PER_PUMPING_WELL,
        REINJECTION_WELL_DEPTH_M,
        required_value(region, "reinjection_well_cost_per_m", used),
        exchanger,
        heat_pump,
        fixed,
    )


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
    heating_peak_w = float(building.heating_peak_w.max())
    cooling_peak_w = float(building.cooling_peak_w.max())
    capacity_w = max(heating_peak_w, cooling_peak_w)
    electricity = carrier(region, "electricity", used)
    demand_price = optional_value(region, DEMAND_PRICE_KEY, used)

    def charge(demand_w: float) -> float:
        return economics.demand_charge(demand_w, demand_price) if demand_price else 0.0

    # The ground-source system: heat pump, plus circulation or well pumps; its contracted power
    # is the heat pump's at the larger peak plus the pumps' (a closed loop's circulation pump
    # drawn as the same share of the peak as of the energy, inferred; an open loop's well pumps
    # at their rated power).
    heat_pump_j = economics.heat_pump_electricity_j(heating_j, cooling_j, cop, eer)
    if design["kind"] == "closed_loop":
        pumps_j = economics.circulation_pump_j(heating_j, cooling_j, CIRCULATION_PUMP_SHARE)
        pumps_w = CIRCULATION_PUMP_SHARE * capacity_w
    else:
        pumps_j = economics.well_pump_j(
            heating_j, cooling_j, design["ground_peak_w"], design["pump_power_w"]
        )
        pumps_w = float(design["pump_power_w"])
    system_use = economics.carrier_use(electricity, heat_pump_j + pumps_j)
    system_demand_w = economics.electric_demand_w(
        heating_peak_w if heating_j > 0 else 0.0,
        cooling_peak_w if cooling_j > 0 else 0.0,
        cop,
        eer,
        pumps_w,
    )
    system_charge = charge(system_demand_w)
    system = {
        **system_use.as_dict(),
        "electricity_j": system_use.units,
        "pumps_j": pumps_j,
        "energy_cost": system_use.cost,
        "demand_w": system_demand_w,
        "demand_charge": system_charge,
        "cost": system_use.cost + system_charge,
    }

    baseline_uses: list[economics.CarrierUse] = []
    baselines: dict[str, dict[str, Any]] = {}
    chosen_of: dict[str, Baseline] = {}
    for mode, demand in (("heating", heating_j), ("cooling", cooling_j)):
        if demand <= 0:
            continue
        chosen = baseline(region, mode, inputs.get(f"baseline_{mode}"))
        if chosen is None:
            raise Refused(
                _("The region %(region)s has no %(mode)s baseline to compare with.")
                % {"region": region.code, "mode": mode}
            )
        chosen_of[mode] = chosen
        fuel = carrier(region, chosen.carrier, used)
        use = economics.carrier_use(fuel, demand, chosen.efficiency)
        baseline_uses.append(use)
        baselines[mode] = {
            "code": chosen.code,
            "name": chosen.name_en,
            "names": {
                lang: getattr(chosen, f"name_{lang}") or chosen.name_en
                for lang in ("en", "ja", "ru", "tg")
            },
            "is_default": chosen.is_default,
            "chosen_by_user": bool(inputs.get(f"baseline_{mode}")),
            "carrier": chosen.carrier,
            "efficiency": chosen.efficiency,
            "provenance": chosen.provenance,
            "source": chosen.source,
            **use.as_dict(),
        }
    # An electric baseline has a contracted power too: its COP or EER at its peak; a fuel
    # draws none (estimates.domain.economics.electric_demand_w).
    heating_base, cooling_base = chosen_of.get("heating"), chosen_of.get("cooling")
    baseline_demand_w = economics.electric_demand_w(
        heating_peak_w if heating_base else 0.0,
        cooling_peak_w if cooling_base else 0.0,
        heating_base.efficiency if heating_base and heating_base.carrier == "electricity" else None,
        cooling_base.efficiency if cooling_base and cooling_base.carrier == "electricity" else None,
    )
    baseline_charge = charge(baseline_demand_w)
    baseline_energy_cost = sum(u.cost for u in baseline_uses)
    baseline_cost = baseline_energy_cost + baseline_charge
    baseline_co2 = sum(u.co2_kg for u in baseline_uses)

    # The baseline's purchase, avoided by ground heat: credited only when every baseline
    # compared against has a price per W in the reference data (M-28); else none (M-28c).
    baseline_capex: float | None = 0.0
    for mode, chosen in chosen_of.items():
        price = optional_value(region, baseline_capex_key(chosen.code), used)
        peak = heating_peak_w if mode == "heating" else cooling_peak_w
        baselines[mode]["capex"] = peak * price if price is not None else None
        if price is None or baseline_capex is None:
            baseline_capex = None
        else:
            baseline_capex += peak * price
    if not chosen_of:
        baseline_capex = None

    heat_pump = capacity_w * required_value(region, "heat_pump_cost_per_w", used)
    fixed = required_value(region, "system_fixed_cost", used)
    programme = None
    if code := inputs.get("subsidy"):
        programme = subsidy_programme(region, code)
    sides = None
    if programme is not None:
        try:
            sides = eligible_sides(programme.eligible_costs)
        except ValueError as exc:
            raise Refused(
                _("The subsidy %(code)s states eligible costs no rule reads: %(text)s.")
                % {"code": programme.code, "text": programme.eligible_costs}
            ) from exc
    annual_saving = baseline_cost - system["cost"]
    results: dict[str, dict[str, Any] | None] = {}
    for band in ("p10", "p50", "p90"):
        lines = _capex_lines(region, design, band, heat_pump, fixed, capacity_w, used)
        if lines is None:
            results[band] = None
            continue
        cost = economics.total(lines)
        grant = (
            subsidy_for_lines(lines, programme.rate, programme.cap, programme.eligible_costs)
            if programme
            else 0.0
        )
        payback = economics.simple_payback_years(
            cost, grant, baseline_cost, system["cost"], baseline_capex=baseline_capex
        )
        results[band] = {
            "capex": cost,
            "capex_lines": [
                {"item": line.item, "amount": line.amount, "side": line.side} for line in lines
            ],
            "eligible_cost": eligible_cost(lines, sides) if programme else None,
            "subsidy": grant,
            "payback": payback,
        }
    p50 = results["p50"]
    return {
        "system": system,
        "baselines": baselines,
        "baseline_energy_cost": baseline_energy_cost,
        "baseline_demand_w": baseline_demand_w,
        "baseline_demand_charge": baseline_charge,
        "baseline_cost": baseline_cost,
        "baseline_co2_kg": baseline_co2,
        "baseline_capex": baseline_capex,
        "baseline_capex_credited": baseline_capex is not None,
        "demand_price_per_w_month": demand_price,
        "annual_saving": annual_saving,
        "co2_saved_kg": baseline_co2 - system_use.co2_kg,
        "energy": economics.energy_saved(baseline_uses, [system_use]),
        "heat_pump_capacity_w": capacity_w,
        "scop": economics.seasonal_cop(heating_j + cooling_j, system_use.units),
        "bands": results,
        "cash_flow": economics.cumulative_cash_flow(
            p50["capex"],
            p50["subsidy"],
            annual_saving,
            YEARS,
            baseline_capex=baseline_capex or 0.0,
        )
        if p50
        else None,
        "subsidy_programme": programme.code if programme else None,
        "subsidy_eligible_costs": programme.eligible_costs if programme else None,
        "available_subsidies": list(subsidy_programmes(region).values_list("code", flat=True)),
    }
