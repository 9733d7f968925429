"""Energy, cost, CO2 and payback of a ground-source system against its baseline.

methods.md §10 (MOE-GL4-2024 figs 11–12, inferred formulas): savings per carrier may be
negative; carriers are added only through primary energy, cost and CO2. Simple payback
(literature): (capex − subsidy) / (baseline running cost − system running cost); no saving,
no payback; unknown baseline cost, insufficient data (YOSHIOKA-2014 refuses then).
"""

from __future__ import annotations

from typing import Any

J_PER_KWH = 3.6e6


def savings(before: float, after: float) -> dict[str, float]:
    """before − after and its share of before (both may be negative)."""
    saved = before - after
    return {"savings": saved, "savings_rate": saved / before if before else float("nan")}


def primary_energy_j(quantities_j: dict[str, float], factors: dict[str, float]) -> float:
    """Σ quantity × primary-energy factor (J/J), per carrier."""
    return sum(quantities_j[c] * factors[c] for c in quantities_j)


def running_cost(
    quantities_j: dict[str, float],
    prices_per_j: dict[str, float],
    demand_w: float = 0.0,
    base_price_per_w_month: float = 0.0,
    months: int = 12,
) -> float:
    """Σ energy × price + demand × base price × months (methods.md §10.1)."""
    energy = sum(quantities_j[c] * prices_per_j[c] for c in quantities_j)
    return energy + demand_w * base_price_per_w_month * months


def co2_kg(quantities_j: dict[str, float], factors_kg_per_j: dict[str, float]) -> float:
    return sum(quantities_j[c] * factors_kg_per_j[c] for c in quantities_j)


def simple_payback_years(
    capex: float,
    subsidy: float,
    baseline_running: float | None,
    system_running: float,
    baseline_capex: float = 0.0,
) -> dict[str, Any]:
    """Years to pay back the extra investment; a status when there is no answer."""
    if baseline_running is None:
        return {"status": "insufficient_data", "years": None}
    saving = baseline_running - system_running
    if saving <= 0:
        return {"status": "no_payback", "years": None, "annual_saving": saving}
    years = (capex - baseline_capex - subsidy) / saving
    return {"status": "ok", "years": max(years, 0.0), "annual_saving": saving}


def cumulative_cash_flow(
    capex: float, subsidy: float, annual_saving: float, years: int, baseline_capex: float = 0.0
) -> list[float]:
    """Cash position at the end of each year 0..years (negative until paid back)."""
    start = -(capex - baseline_capex - subsidy)
    return [start + annual_saving * year for year in range(years + 1)]


# --- A ground-source system's running energy and first cost (moved from estimates.services) --


def heat_pump_electricity_j(
    heating_j: float, cooling_j: float, cop_heating: float, eer_cooling: float
) -> float:
    """Electricity of the heat pump over a year, J: Q_heat / COP + Q_cool / EER (the
    heat-pump relations COP = Q_heat / W, EER = Q_cool / W; ETV-052-2101 §5.3(3))."""
    return heating_j / cop_heating + cooling_j / eer_cooling


def circulation_pump_j(heating_j: float, cooling_j: float, pump_share: float) -> float:
    """Electricity of a closed loop's circulation pump, J: a share of the heat delivered."""
    return pump_share * (heating_j + cooling_j)


def well_pump_j(
    heating_j: float, cooling_j: float, ground_peak_w: float, pump_power_w: float
) -> float:
    """Electricity of an open loop's well pumps, J: their power over the full-load time,
    (Q_heat + Q_cool) / ground-side peak (at least 1 W, so no load is no time)."""
    full_load_s = (heating_j + cooling_j) / max(ground_peak_w, 1.0)
    return pump_power_w * full_load_s


def carrier_cost_and_co2(
    energy_j: float, price_per_unit: float, co2_kg_per_j: float, j_per_unit: float | None = None
) -> dict[str, float]:
    """Cost and CO2 of `energy_j` J of final energy of one carrier (fuel J or electricity J).

    The price is per the carrier's own unit (a litre of kerosene, a kWh) when `j_per_unit` gives
    the unit's energy, else per J. Returns {"j", "cost", "co2_kg"}.
    """
    units = energy_j / j_per_unit if j_per_unit is not None else energy_j
    return {"j": energy_j, "cost": units * price_per_unit, "co2_kg": energy_j * co2_kg_per_j}


def closed_loop_capex(
    total_length_m: float, bhe_cost_per_m: float, heat_pump_cost: float, fixed_cost: float
) -> float:
    """First cost of a closed loop: drilled length × cost per metre + heat pump + fixed costs
    (the cost lines of YOSHIOKA-2014's introduction plans)."""
    return total_length_m * bhe_cost_per_m + heat_pump_cost + fixed_cost


def open_loop_capex(
    pumping_wells: float,
    pumping_well_depth_m: float,
    pumping_well_cost_per_m: float,
    reinjection_wells_per_pumping_well: float,
    reinjection_well_depth_m: float,
    reinjection_well_cost_per_m: float,
    heat_exchanger_cost: float,
    heat_pump_cost: float,
    fixed_cost: float,
) -> float:
    """First cost of an open loop: pumping and reinjection wells by depth × cost per metre, the
    intermediate heat exchanger where the water needs one, heat pump and fixed costs
    (YOSHIOKA-2014 Table 11: one pumping well, two reinjection wells)."""
    return (
        pumping_wells * pumping_well_depth_m * pumping_well_cost_per_m
        + pumping_wells
        * reinjection_wells_per_pumping_well
        * reinjection_well_depth_m
        * reinjection_well_cost_per_m
        + heat_exchanger_cost
        + heat_pump_cost
        + fixed_cost
    )


def seasonal_cop(delivered_j: float, electricity_j: float) -> float | None:
    """Heat and cold delivered per unit of electricity over the year, a ratio of sums
    (ETV-052-2101 §5.3(3): period values are ratios of sums); None without electricity."""
    return delivered_j / electricity_j if electricity_j else None
