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
