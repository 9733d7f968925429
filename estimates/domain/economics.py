"""Energy, cost, CO2 and payback of a ground-source system against its baseline.

MOE-GL4-2024 figs 11–12 (formulas inferred from the figures): savings per carrier may be
negative (fig. 12: a switch from LPG raises electricity by 70 %); carriers are added only
through primary energy, cost and CO2, never as joules of fuel minus joules of electricity.
Simple payback (literature): (capex − avoided baseline capex − subsidy) / (baseline running
cost − system running cost); no saving, no payback; unknown baseline running cost,
insufficient data (YOSHIOKA-2014 §6-1 refuses then).

Fuel bookkeeping (OKINAWA-FY2017 Table 2.2.10): a boiler's efficiency is stated on the lower
heating value (LHV: the flue gas's water vapour not condensed), so the fuel bought is heat ÷ η ÷
LHV; its primary energy is that volume × the standard (higher) heating value the Japanese
statistics and the Energy Conservation Act count fuels at; its CO2 is its LHV energy × the IPCC
2006 factor, which is per net (lower) calorific value. Electricity is bought in J.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reference.domain.economics import CostLine

J_PER_KWH = 3.6e6
MONTHS_PER_YEAR = 12


def savings(before: float, after: float) -> dict[str, float]:
    """before − after and its share of before (both may be negative)."""
    saved = before - after
    return {"savings": saved, "savings_rate": saved / before if before else float("nan")}


def primary_energy_j(quantities_j: Mapping[str, float], factors: Mapping[str, float]) -> float:
    """Σ quantity × primary-energy factor (J/J), per carrier (MOE-GL4-2024 figs 11–12)."""
    return sum(quantities_j[c] * factors[c] for c in quantities_j)


def running_cost(
    quantities_j: Mapping[str, float],
    prices_per_j: Mapping[str, float],
    demand_w: float = 0.0,
    base_price_per_w_month: float = 0.0,
    months: int = MONTHS_PER_YEAR,
) -> float:
    """Σ energy × price + demand × base price × months (MOE-GL4-2024 fig. 11)."""
    energy = sum(quantities_j[c] * prices_per_j[c] for c in quantities_j)
    return energy + demand_w * base_price_per_w_month * months


def co2_kg(quantities_j: Mapping[str, float], factors_kg_per_j: Mapping[str, float]) -> float:
    return sum(quantities_j[c] * factors_kg_per_j[c] for c in quantities_j)


@dataclass(frozen=True)
class Carrier:
    """An energy carrier's reference values (one region, one date).

    price_per_unit: currency per unit bought (per J for electricity, per m³ of kerosene, per
    kg of LPG or coal). heating_value_j_per_unit: the standard (higher) heating value, None for
    electricity (bought in J). lower_heating_value_j_per_unit: the LHV the appliances'
    efficiencies go with; None when only one heating value is known (then that one, and
    `assumed_basis` says so). co2_kg_per_j: per J of LHV energy (IPCC 2006 factors are per net
    calorific value) or per J of electricity. primary_energy_j_per_j: per J of the higher
    heating value (fuels: 1 by definition of the standard heating value) or per J of
    electricity (the grid's factor, e.g. 9.97 GJ/MWh ÷ 3.6).
    """

    name: str
    price_per_unit: float
    co2_kg_per_j: float
    primary_energy_j_per_j: float
    heating_value_j_per_unit: float | None = None
    lower_heating_value_j_per_unit: float | None = None

    @property
    def is_fuel(self) -> bool:
        return self.heating_value_j_per_unit is not None

    @property
    def assumed_basis(self) -> bool:
        """True when the efficiency is taken on the only heating value known."""
        return self.is_fuel and self.lower_heating_value_j_per_unit is None


@dataclass(frozen=True)
class CarrierUse:
    """What a system buys of one carrier in a year and what it costs and emits."""

    carrier: str
    units: float  # J of electricity, m³, kg
    energy_j: float  # final energy: electricity J, or fuel J on the LHV basis
    primary_energy_j: float
    cost: float
    co2_kg: float
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "carrier": self.carrier,
            "units": self.units,
            "j": self.energy_j,
            "primary_energy_j": self.primary_energy_j,
            "cost": self.cost,
            "co2_kg": self.co2_kg,
            "notes": list(self.notes),
        }


def fuel_units(heat_j: float, efficiency: float, lower_heating_value_j_per_unit: float) -> float:
    """Fuel bought to deliver `heat_j`: heat ÷ η ÷ LHV (OKINAWA-FY2017 Table 2.2.10: daily fuel
    [L] = V·ΔT·1 kcal/(L·K) ÷ η ÷ 8,329 kcal/L, the LHV with its η = 0.846)."""
    if efficiency <= 0 or lower_heating_value_j_per_unit <= 0:
        raise ValueError("the efficiency and the heating value must be positive")
    return heat_j / efficiency / lower_heating_value_j_per_unit


def carrier_use(carrier: Carrier, heat_j: float, efficiency: float = 1.0) -> CarrierUse:
    """The carrier bought to deliver `heat_j` (J) at `efficiency` (COP, EER or η; 1 for the
    electricity a system itself uses, then heat_j is that electricity)."""
    if heat_j < 0:
        raise ValueError("the heat delivered must not be negative")
    if efficiency <= 0:
        raise ValueError("the efficiency must be positive")
    notes: tuple[str, ...] = ()
    if not carrier.is_fuel:
        energy = heat_j / efficiency
        return CarrierUse(
            carrier.name,
            energy,
            energy,
            energy * carrier.primary_energy_j_per_j,
            energy * carrier.price_per_unit,
            energy * carrier.co2_kg_per_j,
        )
    higher = carrier.heating_value_j_per_unit
    assert higher is not None
    lower = carrier.lower_heating_value_j_per_unit
    if lower is None:
        lower = higher
        notes = (f"{carrier.name}: only one heating value is known; the efficiency is taken on it",)
    units = fuel_units(heat_j, efficiency, lower)
    return CarrierUse(
        carrier.name,
        units,
        units * lower,
        units * higher * carrier.primary_energy_j_per_j,
        units * carrier.price_per_unit,
        units * lower * carrier.co2_kg_per_j,
        notes,
    )


def energy_saved(baseline: Iterable[CarrierUse], system: Iterable[CarrierUse]) -> dict[str, Any]:
    """Primary energy saved (J) and its share, per carrier too (MOE-GL4-2024 figs 11–12:
    savings per carrier may be negative; they add up only as primary energy). Never final joules of
    kerosene minus joules of electricity."""
    before = {u.carrier: 0.0 for u in baseline}
    after = {u.carrier: 0.0 for u in system}
    per_carrier: dict[str, dict[str, float]] = {}
    for use in baseline:
        before[use.carrier] += use.primary_energy_j
    for use in system:
        after[use.carrier] += use.primary_energy_j
    for name in sorted({*before, *after}):
        per_carrier[name] = savings(before.get(name, 0.0), after.get(name, 0.0))
    total = savings(sum(before.values()), sum(after.values()))
    return {
        "baseline_primary_energy_j": sum(before.values()),
        "system_primary_energy_j": sum(after.values()),
        "primary_energy_saved_j": total["savings"],
        "primary_energy_saved_rate": total["savings_rate"],
        "per_carrier_primary_energy": per_carrier,
    }


def electric_demand_w(
    heating_peak_w: float,
    cooling_peak_w: float,
    heating_efficiency: float | None,
    cooling_efficiency: float | None,
    auxiliary_w: float = 0.0,
) -> float:
    """The electric power a system draws at its peak, W: max(heating peak ÷ COP, cooling peak
    ÷ EER) + pumps; a mode that burns fuel (efficiency None) draws none. The contracted power
    the basic charge is paid on (MOE-GL4-2024 fig. 11 note ※4: a base charge per kW and month)."""
    heating = heating_peak_w / heating_efficiency if heating_efficiency else 0.0
    cooling = cooling_peak_w / cooling_efficiency if cooling_efficiency else 0.0
    return max(heating, cooling) + auxiliary_w


def demand_charge(
    demand_w: float, base_price_per_w_month: float, months: int = MONTHS_PER_YEAR
) -> float:
    """The basic (demand) charge of a year: demand × price per W and month × months (the
    fig. 11 note ※4 of MOE-GL4-2024: 1,263.6 yen/kW, read as per month)."""
    if demand_w < 0:
        raise ValueError("the demand must not be negative")
    return demand_w * base_price_per_w_month * months


def simple_payback_years(
    capex: float,
    subsidy: float,
    baseline_running: float | None,
    system_running: float,
    baseline_capex: float | None = None,
) -> dict[str, Any]:
    """Years to pay back the extra investment; a status when there is no answer.

    (capex − baseline_capex − subsidy) / (baseline_running − system_running), simple payback
    (literature; the avoided purchase credited as in the methods reference's cases M-28,
    M-28b, M-28c). baseline_capex: what the baseline system would have cost to buy (it is not
    bought: ground heat replaces it); None when unknown, then no credit is given and the result
    says so ("baseline_capex_credited": False), never an invented price; a caller that does not
    pass it has not said what the baseline costs, so None is the default.
    """
    credited = baseline_capex is not None
    avoided = baseline_capex if baseline_capex is not None else 0.0
    extra = capex - avoided - subsidy
    common = {"baseline_capex": baseline_capex, "baseline_capex_credited": credited}
    if baseline_running is None:
        return {"status": "insufficient_data", "years": None, **common}
    saving = baseline_running - system_running
    if saving <= 0:
        return {"status": "no_payback", "years": None, "annual_saving": saving, **common}
    return {
        "status": "ok",
        "years": max(extra / saving, 0.0),
        "annual_saving": saving,
        "extra_investment": extra,
        **common,
    }


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


def closed_loop_capex_lines(
    total_length_m: float,
    drilling_per_m: float,
    heat_pump: float,
    plant: float,
    secondary: float = 0.0,
) -> list[CostLine]:
    """The investment of a closed loop as lines with their side (YOSHIOKA-2014 Table 13: the
    ground heat exchangers, the heat pump and its control panel and circulation pump are the
    primary side; the building's distribution, fan coils, the secondary)."""
    lines = [
        CostLine("borehole heat exchangers", total_length_m * drilling_per_m, "primary"),
        CostLine("ground-source heat pump", heat_pump, "primary"),
        CostLine("control panel and circulation pump", plant, "primary"),
    ]
    if secondary:
        lines.append(CostLine("distribution in the building", secondary, "secondary"))
    return lines


def open_loop_capex_lines(
    pumping_wells: int,
    pumping_depth_m: float,
    pumping_per_m: float,
    reinjection_wells: int,
    reinjection_depth_m: float,
    reinjection_per_m: float,
    heat_exchanger: float,
    heat_pump: float,
    plant: float,
    secondary: float = 0.0,
) -> list[CostLine]:
    """The investment of an open loop as lines with their side (YOSHIOKA-2014 Table 13: wells,
    heat exchanger, heat pump, control panel and pump primary)."""
    lines = [
        CostLine("pumping wells", pumping_wells * pumping_depth_m * pumping_per_m, "primary"),
        CostLine(
            "reinjection wells",
            reinjection_wells * reinjection_depth_m * reinjection_per_m,
            "primary",
        ),
        CostLine("heat exchanger", heat_exchanger, "primary"),
        CostLine("ground-source heat pump", heat_pump, "primary"),
        CostLine("control panel and pumps", plant, "primary"),
    ]
    if secondary:
        lines.append(CostLine("distribution in the building", secondary, "secondary"))
    return lines


def total(lines: Iterable[CostLine]) -> float:
    return float(math.fsum(line.amount for line in lines))
