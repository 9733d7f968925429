"""Performance of a running system after the ETV analysis (ETV-052-2101 §5.3(3), tbl 7-3):
period bookkeeping, COP and SCOP, operating ratio, part-load ratio, mean power while running,
period totals, pass against the baseline, heat-island and savings figures. Pure numpy, SI:
energies in J, powers in W, durations in s.

Period values are a ratio of sums (⑲ = ⑮/⑤, ⑳ = ⑮/(⑤+⑥+⑦)), never a mean of daily ratios;
`mean_of_ratios` exists only to reproduce figures printed that way (ETV-052-2101's appendix
graph annotations, which differ from its tbl 7-6).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from monitoring.domain import timebase

Mode = Literal["cooling", "heating"]

# Conventional system (業務用空調電気個別式) system energy efficiency:
# MOE 地球温暖化対策事業効果算定ガイドブック (2017) G p.16 tbl 3; ETV-052-2101 tbl 5-2.
BASELINE_SCOP = {"cooling": 3.3, "heating": 2.2}

# HX approach of the Yokkaichi unit, stored because the input series are not in the source
# (ETV-052-2101 tbl 7-10), K.
REFERENCE_HX_APPROACH_K: dict[str, dict[str, float]] = {
    "052-2101": {"cooling_k": 2.05, "heating_k": 0.34},
}


def _f(values: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)


# --- period bookkeeping (tbl 7-3 ①–④) -------------------------------------------------------


def period_days(start: ArrayLike, end: ArrayLike, missing_days: ArrayLike = 0) -> NDArray[Any]:
    """Days ①: inclusive calendar days from start to end minus missing days
    (ETV-052-2101 tbl 7-3 ①). Dates as ISO strings, datetime.date or datetime64."""
    first, last = timebase.as_days(start), timebase.as_days(end)
    if np.any(last < first):
        raise ValueError("a period must not end before it starts")
    return (last - first).astype(np.int64) + 1 - np.asarray(missing_days, dtype=np.int64)


def period_duration_s(days: ArrayLike) -> NDArray[np.float64]:
    """Hours ② in seconds: days × 86 400 s (ETV-052-2101 tbl 7-3 ②)."""
    return _f(days) * timebase.SECONDS_PER_DAY


def operating_ratio(run_s: ArrayLike, period_s: ArrayLike) -> NDArray[np.float64]:
    """Operating ratio ④ (稼働率) = HP run time ÷ period time, a fraction (ETV-052-2101 tbl 7-3)."""
    return _f(run_s) / _f(period_s)


def run_time_s(times: ArrayLike, running: ArrayLike, step_s: float | None = None) -> float:
    """HP run time ③ from an on/off series: the summed steps of the running samples."""
    intervals = timebase.sustained_intervals(times, running, step_s=step_s)
    return float(sum(i.duration_s for i in intervals))


def mean_power_while_running_w(energy_j: ArrayLike, run_s: ArrayLike) -> NDArray[np.float64]:
    """Mean power while running ⑪–⑭ = energy ÷ HP run time ③, W (ETV-052-2101 tbl 7-3)."""
    return _f(energy_j) / _f(run_s)


def period_totals(
    hp_j: ArrayLike, primary_pump_j: ArrayLike, well_pump_j: ArrayLike, indoor_j: ArrayLike
) -> dict[str, NDArray[np.float64]]:
    """Total energy 1 ⑧ = ⑤+⑥+⑦ and total energy 2 ⑩ = ⑧+⑨ (adds the indoor units), J
    (ETV-052-2101 tbl 7-3)."""
    total1 = _f(hp_j) + _f(primary_pump_j) + _f(well_pump_j)
    return {"total1_j": total1, "total2_j": total1 + _f(indoor_j)}


# --- COP and SCOP (§5.3(3) formulas 6, 7) ---------------------------------------------------


def cop(heat_j: ArrayLike, hp_j: ArrayLike) -> NDArray[np.float64]:
    """HP COP ⑲ = Q_HP ÷ W_HP (ETV-052-2101 §5.3(3) formula 6)."""
    return _f(heat_j) / _f(hp_j)


def scop(
    heat_j: ArrayLike,
    hp_j: ArrayLike,
    primary_pump_j: ArrayLike,
    well_pump_j: ArrayLike,
    indoor_j: ArrayLike | None = None,
    include_indoor_units: bool = False,
) -> NDArray[np.float64]:
    """System energy efficiency ⑳ (SCOP, COP_ETV) = Q_HP ÷ (W_HP + W_primary pump + W_well pump)
    (ETV-052-2101 §5.3(3) formula 7: indoor units excluded).

    `include_indoor_units=True` adds the indoor units to the denominator, a documented toggle
    the report does not use (ETV-052-2101 §5.3(3) formula 7 excludes them; ETV-T37)."""
    denominator = _f(hp_j) + _f(primary_pump_j) + _f(well_pump_j)
    if include_indoor_units:
        if indoor_j is None:
            raise ValueError("include_indoor_units needs indoor_j")
        denominator = denominator + _f(indoor_j)
    return _f(heat_j) / denominator


def mean_of_ratios(numerator: ArrayLike, denominator: ArrayLike) -> float:
    """Mean of per-step ratios (how the appendix graphs' COP annotations were probably made,
    inferred; ETV-052-2101 tbls 7-6, 7-7). Not the ETV statistic: store which one a figure is."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = _f(numerator) / _f(denominator)
    return float(np.nanmean(ratios[np.isfinite(ratios)]))


def sum_by_period(
    times: ArrayLike,
    values_j: ArrayLike,
    period: timebase.Period | Mapping[str, tuple[Any, Any]],
) -> tuple[NDArray[Any], NDArray[np.float64]]:
    """Per-step energies summed per day, per month, or per named season given as inclusive
    date windows {"cooling": ("2021-07-09", "2021-09-30"), ...} (ETV-052-2101 §5.1 periods)."""
    if isinstance(period, str):
        return timebase.sum_by_bucket(times, values_j, period)
    days = timebase.bucket_starts(times, "day")
    data = _f(values_j)
    names = np.array(list(period), dtype=object)
    sums = np.empty(len(period))
    for k, (start, end) in enumerate(period.values()):
        inside = (days >= timebase.as_days(start)) & (days <= timebase.as_days(end))
        sums[k] = np.nansum(data[inside]) if np.any(inside) else np.nan
    return names, sums


def cop_by_period(
    times: ArrayLike,
    heat_j: ArrayLike,
    hp_j: ArrayLike,
    period: timebase.Period | Mapping[str, tuple[object, object]] = "day",
) -> tuple[NDArray[Any], NDArray[np.float64]]:
    """Daily, monthly or seasonal HP COP as a ratio of sums per period (tbl 7-3 ⑲).
    `times` is the common time axis of the per-step energies."""
    labels, heat = sum_by_period(times, heat_j, period)
    _, power = sum_by_period(times, hp_j, period)
    with np.errstate(divide="ignore", invalid="ignore"):
        return labels, np.where(power > 0, heat / power, np.nan)


def scop_by_period(
    times: ArrayLike,
    heat_j: ArrayLike,
    hp_j: ArrayLike,
    primary_pump_j: ArrayLike,
    well_pump_j: ArrayLike,
    indoor_j: ArrayLike | None = None,
    include_indoor_units: bool = False,
    period: timebase.Period | Mapping[str, tuple[object, object]] = "day",
) -> tuple[NDArray[Any], NDArray[np.float64]]:
    """Daily, monthly or seasonal SCOP as a ratio of sums per period (tbl 7-3 ⑳), with the
    indoor-unit toggle of `scop`."""
    labels, heat = sum_by_period(times, heat_j, period)
    parts = [_f(hp_j), _f(primary_pump_j), _f(well_pump_j)]
    if include_indoor_units:
        if indoor_j is None:
            raise ValueError("include_indoor_units needs indoor_j")
        parts.append(_f(indoor_j))
    _, denominator = sum_by_period(times, np.sum(parts, axis=0), period)
    with np.errstate(divide="ignore", invalid="ignore"):
        return labels, np.where(denominator > 0, heat / denominator, np.nan)


def passes_criterion(scop_value: ArrayLike, criterion: ArrayLike) -> NDArray[np.bool_]:
    """Pass when the measured period SCOP ≥ the baseline (3.3 cooling, 2.2 heating); equality
    passes (ETV-052-2101 tbl 5-2)."""
    return _f(scop_value) >= _f(criterion)


# --- part load (§2.3) ------------------------------------------------------------------------


def part_load_ratio(heat_j: ArrayLike, run_s: ArrayLike, rated_w: ArrayLike) -> NDArray[Any]:
    """Part-load ratio (部分負荷率) from totals = heat ÷ run time ÷ rated output, a fraction
    (ETV-052-2101 appendix 2.1: daily PLR = kWh / run h / rated kW). The report's period ⑱
    is probably a time-step average (`part_load_ratio_time_averaged`, inferred)."""
    return _f(heat_j) / (_f(run_s) * _f(rated_w))


def part_load_ratio_time_averaged(
    heat_rate_w: ArrayLike, running: ArrayLike, rated_w: float
) -> float:
    """Mean of per-step output ÷ rated output over the running steps (inferred reading of
    ETV-052-2101 tbl 7-3 ⑱, 21.8 / 33.7 % vs 22.3 / 35.3 % from totals)."""
    on = np.asarray(running, dtype=bool)
    if not np.any(on):
        return float("nan")
    return float(np.nanmean(_f(heat_rate_w)[on]) / rated_w)


# --- rating identities (tbl 3-3) ---------------------------------------------------------------


def rating_balance(
    mode: Mode, capacity_w: ArrayLike, power_w: ArrayLike
) -> dict[str, NDArray[Any]]:
    """Ground-side duty and COP of an HP rating: cooling rejects capacity + power, heating
    extracts capacity − power (ETV-052-2101 tbl 3-3: 28.0 + 6.1 = 34.1 kW; 31.5 − 7.8 = 23.7 kW)."""
    capacity, power = _f(capacity_w), _f(power_w)
    if mode == "cooling":
        ground = capacity + power
    elif mode == "heating":
        ground = capacity - power
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return {"ground_side_w": ground, "cop": capacity / power}


def heat_produced_j(mode: Mode, primary_heat_j: ArrayLike, hp_j: ArrayLike) -> NDArray[Any]:
    """Q_HP = Q_1 ± W_HP, + heating, − cooling (ETV-052-2101 §5.3(3) formula 3)."""
    if mode == "heating":
        return _f(primary_heat_j) + _f(hp_j)
    if mode == "cooling":
        return _f(primary_heat_j) - _f(hp_j)
    raise ValueError(f"unknown mode {mode!r}")


def hx_approach_k(
    brine_hx_inlet_k: ArrayLike, source_water_outlet_k: ArrayLike, running: ArrayLike
) -> float:
    """HX approach ΔT_HX = mean over running steps of (T_brine,HEX-in − T_source-2), K;
    smaller is better (ETV-052-2101 §5.3(3) formula 8). In heating the difference is negative
    as printed; the report's table 7-10 gives magnitudes."""
    on = np.asarray(running, dtype=bool)
    if not np.any(on):
        return float("nan")
    difference = _f(brine_hx_inlet_k) - _f(source_water_outlet_k)
    return float(np.nanmean(difference[on]))


def reference_hx_approach_k(verification_no: str) -> dict[str, float]:
    """Stored HX approach of an ETV verification (ETV-052-2101 tbl 7-10), K."""
    return dict(REFERENCE_HX_APPROACH_K[verification_no])


# --- comparisons, heat island, savings ---------------------------------------------------------


def relative_change(before: ArrayLike, after: ArrayLike) -> NDArray[np.float64]:
    """(after − before) ÷ before, e.g. the SCOP penalty of swapping wells (ETV-052-2101
    tbl 7-6/7-7: 4.26 → 3.31 is −22.3 %)."""
    return (_f(after) - _f(before)) / _f(before)


def air_source_rejection_j(heat_j: ArrayLike, air_source_electricity_j: ArrayLike) -> NDArray[Any]:
    """Heat an air-source HP would reject to the air: Q_f_ac = Q_total + W_f_ac
    (ETV-052-2101 §7.4 ㉑, MOE guideline 改訂増補版 p.141)."""
    return _f(heat_j) + _f(air_source_electricity_j)


def air_source_electricity_j(heat_j: ArrayLike, air_source_cop: ArrayLike) -> NDArray[Any]:
    """W_f_ac = Q_total ÷ COP_air-source; the COP is a parameter (the report's 4,713 kWh implies
    3.02, not stated; ETV-052-2101 heat-island formula after MOE 改訂増補版 p.141)."""
    return _f(heat_j) / _f(air_source_cop)


def implied_air_source_cop(heat_j: ArrayLike, rejection_j: ArrayLike) -> dict[str, NDArray[Any]]:
    """W_f_ac and the air-source efficiency implied by a printed Q_f_ac (ETV-052-2101 ㉑)."""
    electricity = _f(rejection_j) - _f(heat_j)
    return {"air_source_electricity_j": electricity, "cop": _f(heat_j) / electricity}


def electricity_saved_j(
    heat_j: ArrayLike, system_j: ArrayLike, baseline_scop: ArrayLike
) -> NDArray[np.float64]:
    """E_saved = Q_HP ÷ SCOP_base − E_system (inferred method; baselines ETV-052-2101 tbl 5-2)."""
    return _f(heat_j) / _f(baseline_scop) - _f(system_j)


def co2_saved_kg(electricity_saved_j: ArrayLike, grid_factor_kg_per_j: float) -> NDArray[Any]:
    """CO2 saved = E_saved × EF_grid; the factor is a parameter (not in ETV-052-2101)."""
    return _f(electricity_saved_j) * grid_factor_kg_per_j


def cop_inlet_warning(mode: Mode, inlet_k: ArrayLike, cop_values: ArrayLike) -> bool:
    """Data-quality warning: in heating, COP rising while the HP inlet temperature falls is
    suspicious (MOE-GL4-2024 annex R3, GL-T24). True when the least-squares slope of COP
    against inlet temperature is < 0 in heating (> 0 in cooling, by analogy, inferred)."""
    inlet, values = _f(inlet_k), _f(cop_values)
    ok = np.isfinite(inlet) & np.isfinite(values)
    if ok.sum() < 3 or np.ptp(inlet[ok]) == 0:
        return False
    slope = np.polyfit(inlet[ok], values[ok], 1)[0]
    return bool(slope < 0) if mode == "heating" else bool(slope > 0)
