"""Open-loop operation: heat rate and rated flow, flow-state classification, heads relative to
the reference well, the daily level summary, well roles over time, clogging status and
indicators, guideline checks on reinjection (ETV-052-2101; MOE-GL4-2024 §3.2(5)). Pure numpy,
SI: m³/s, K, W, m.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.lib import units
from field_tests.domain import water_quality
from monitoring.domain import timebase
from potential_map.domain import open_loop as potential_open_loop

FlowState = Literal["circulation", "backwash_drainage", "forced_drainage", "idle", "undefined"]
Role = Literal["pumping", "reinjection"]
# (valid_from, pumping well, reinjection well), as read from ETV-052-2101 tbl 7-1/7-2
RoleAssignment = tuple[Any, str, str]

WATER_DENSITY_KG_PER_M3 = 1000.0
WATER_SPECIFIC_HEAT_J_PER_KG_K = 4186.0
# 1 kW = 860 kcal/h, the Japanese catalogue convention (ETV-052-2101 tbl 3-3)
KCAL_PER_H_PER_KW = 860.0
# Backwash window dropped from the daily level reduction: 03:00–04:00 local
# (ETV-052-2101 §7.5(2)), read as half-open [03:00, 04:00) (inferred).
BACKWASH_WINDOW_S = (3 * 3600.0, 4 * 3600.0)


def _f(values: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)


# --- heat and flow -------------------------------------------------------------------------


def heat_rate_w(
    flow_m3_per_s: ArrayLike,
    delta_t_k: ArrayLike,
    density_kg_per_m3: float = WATER_DENSITY_KG_PER_M3,
    specific_heat_j_per_kg_k: float = WATER_SPECIFIC_HEAT_J_PER_KG_K,
) -> NDArray[np.float64]:
    """Q = ρ · c · q · ΔT, W (ETV-052-2101 §5.3(3) formulas 1–2 in SI). Signs follow ΔT;
    the report prints magnitudes."""
    return potential_open_loop.heat_rate_w(
        flow_m3_per_s, delta_t_k, density_kg_per_m3 * specific_heat_j_per_kg_k
    )


def heat_rate_w_from_report_units(
    flow_l_per_min: ArrayLike,
    specific_gravity_g_per_cm3: ArrayLike,
    c_j_per_g_k: ArrayLike,
    delta_t_k: ArrayLike,
) -> NDArray[np.float64]:
    """Conversion helper for the report's units: Q[W] = V[L/min]/60 × 1000 [cm³/L] × ρ[g/cm³]
    × c[J/(g·K)] × ΔT[K] (ETV-052-2101 §5.3(3), unit bridge inferred)."""
    return (
        _f(flow_l_per_min) / 60.0 * 1000.0 * _f(specific_gravity_g_per_cm3) * _f(c_j_per_g_k)
    ) * _f(delta_t_k)


def rated_flow_m3_per_s(
    heat_rate_w: ArrayLike,
    delta_t_k: ArrayLike,
    density_kg_per_m3: float = WATER_DENSITY_KG_PER_M3,
    specific_heat_j_per_kg_k: float = WATER_SPECIFIC_HEAT_J_PER_KG_K,
) -> NDArray[np.float64]:
    """Source-water flow of a rating: q = Q / (ρ c ΔT), m³/s (ETV-052-2101 tbl 3-3 in SI)."""
    return potential_open_loop.required_flow_m3_per_s(
        heat_rate_w, delta_t_k, density_kg_per_m3 * specific_heat_j_per_kg_k
    )


def rated_flow_l_per_min_kcal(heat_rate_w: ArrayLike, delta_t_k: ArrayLike) -> NDArray[Any]:
    """Conversion helper in the catalogue's units: q[L/min] = Q[kW] ÷ ΔT × 860/60
    (ETV-052-2101 tbl 3-3: 34.1 kW, 5 K → 97.75 L/min, "standard water flow 100 L/min")."""
    return _f(heat_rate_w) / 1000.0 / _f(delta_t_k) * KCAL_PER_H_PER_KW / 60.0


def delta_t_k(pumping_k: ArrayLike, reinjection_k: ArrayLike) -> NDArray[np.float64]:
    """|T_reinjection − T_pumping|, K (ETV-052-2101 tbl 7-6/7-7 print magnitudes)."""
    return np.abs(_f(reinjection_k) - _f(pumping_k))


# --- flow states (tbl 5-8) -----------------------------------------------------------------


def classify_flow_state(hp_on: ArrayLike, pump_on: ArrayLike, drain_on: ArrayLike) -> NDArray[Any]:
    """What the one source-water flow meter measures, from the control signals
    (ETV-052-2101 tbl 5-8): HP+pump → circulation; pump only → backwash drainage;
    HP+pump+drain → forced drainage. All off → "idle" and any other combination →
    "undefined" (both inferred; flag "undefined")."""
    hp = np.asarray(hp_on, dtype=bool)
    pump = np.asarray(pump_on, dtype=bool)
    drain = np.asarray(drain_on, dtype=bool)
    return np.select(
        [
            hp & pump & ~drain,
            ~hp & pump & ~drain,
            hp & pump & drain,
            ~hp & ~pump & ~drain,
        ],
        ["circulation", "backwash_drainage", "forced_drainage", "idle"],
        default="undefined",
    )


def flow_state_volumes_m3(
    flow_m3_per_s: ArrayLike, step_s: ArrayLike, states: ArrayLike
) -> dict[str, float]:
    """Period totals per flow state: Σ q × Δt over the samples of each state, m³
    (ETV-052-2101 tbl 5-8: circulation volume, backwash drainage, forced drainage)."""
    volume = np.nan_to_num(_f(flow_m3_per_s)) * _f(step_s)
    labels = np.asarray(states)
    names = ("circulation", "backwash_drainage", "forced_drainage", "idle", "undefined")
    return {name: float(volume[labels == name].sum()) for name in names}


# --- heads (§7.5(2)) -----------------------------------------------------------------------


def relative_head_m(head_m: ArrayLike, reference_head_m: ArrayLike) -> NDArray[np.float64]:
    """Head relative to the reference (farthest observation) well: H(well) − H(Y-K3), m
    (ETV-052-2101 §7.5(2)); heads as elevations, so negative while pumping, positive while
    reinjecting."""
    return _f(head_m) - _f(reference_head_m)


def head_sign_matches_role(relative_m: ArrayLike, role: ArrayLike) -> NDArray[np.bool_]:
    """Whether each relative head has the sign its role implies: < 0 pumping, > 0 reinjecting
    (ETV-052-2101 §7.5(2)). False marks a swapped channel or a role calendar error."""
    values, roles = _f(relative_m), np.asarray(role)
    return np.where(roles == "pumping", values < 0, values > 0)


def daily_level_summary(
    times: ArrayLike,
    relative_head: ArrayLike,
    exclude_window_s: tuple[float, float] = BACKWASH_WINDOW_S,
) -> dict[str, NDArray[Any]]:
    """Daily reinjection and pumping levels from relative heads (ETV-052-2101 §7.5(2),
    fig. 7-12): samples whose time of day falls in the backwash window [from, to) (half-open,
    inferred) are dropped; the reinjection level is the daily mean of the positive values, the
    pumping level the mean of the negative values (NaN when a day has none).

    Returns days (datetime64[D]), reinjection_level_m, pumping_level_m, n_excluded, n_used.
    """
    values = _f(relative_head)
    clock = timebase.time_of_day_s(times)
    start, end = exclude_window_s
    excluded = (clock >= start) & (clock < end)
    days = timebase.bucket_starts(times, "day")
    unique, inverse = np.unique(days, return_inverse=True)
    keep = ~excluded & np.isfinite(values)
    positive = keep & (values > 0)
    negative = keep & (values < 0)

    def mean_of(mask: NDArray[np.bool_]) -> NDArray[np.float64]:
        sums = np.bincount(inverse[mask], weights=values[mask], minlength=unique.size)
        counts = np.bincount(inverse[mask], minlength=unique.size)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)

    return {
        "days": unique,
        "reinjection_level_m": mean_of(positive),
        "pumping_level_m": mean_of(negative),
        "n_excluded": np.bincount(inverse[excluded], minlength=unique.size),
        "n_used": np.bincount(inverse[keep], minlength=unique.size),
    }


# --- well roles (tbl 7-1/7-2) --------------------------------------------------------------


def _sorted_assignments(assignments: Sequence[RoleAssignment]) -> tuple[NDArray[Any], NDArray[Any]]:
    starts = timebase.as_days([a[0] for a in assignments])
    if np.any(np.diff(starts) < np.timedelta64(0, "D")):
        raise ValueError("role assignments must be in date order")
    pairs = np.array([(a[1], a[2]) for a in assignments], dtype=object)
    return starts, pairs


def role_on(
    assignments: Sequence[RoleAssignment], dates: ArrayLike
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Pumping and reinjection well on each date: the last assignment with valid_from ≤ date
    (ETV-052-2101 tbl 7-1/7-2 reading rule). None before the first assignment."""
    starts, pairs = _sorted_assignments(assignments)
    index = np.searchsorted(starts, timebase.as_days(dates), side="right") - 1
    known = index >= 0
    pumping: NDArray[Any] = np.where(known, pairs[np.maximum(index, 0), 0], np.array(None))
    reinjection: NDArray[Any] = np.where(known, pairs[np.maximum(index, 0), 1], np.array(None))
    return pumping, reinjection


def role_of_well(
    assignments: Sequence[RoleAssignment], well: str, times: ArrayLike
) -> NDArray[Any]:
    """The role of one well at each timestamp ("pumping", "reinjection" or None): channels are
    labelled by well, not role, so the role is resolved at query time (ETV-052-2101 tbls 7-1,
    7-2)."""
    days = timebase.bucket_starts(times, "day")
    pumping, reinjection = role_on(assignments, days)
    return np.select(
        [pumping == well, reinjection == well],
        [np.array("pumping", dtype=object), np.array("reinjection", dtype=object)],
        default=np.array(None),
    )


def role_swaps(assignments: Sequence[RoleAssignment]) -> NDArray[np.datetime64]:
    """Dates on which the pumping and reinjection wells trade places (ETV-052-2101 tbl 7-1/7-2;
    a backwash without a swap keeps the roles)."""
    starts, pairs = _sorted_assignments(assignments)
    if len(pairs) < 2:
        return starts[:0]
    changed = pairs[1:, 0] != pairs[:-1, 0]
    swaps: NDArray[np.datetime64] = starts[1:][changed]
    return swaps


# --- clogging (§7.5, §2.11) ----------------------------------------------------------------


def clogging_status_from_forced_drainage(
    daily_forced_drainage_m3: ArrayLike, sustained_days: int = 30
) -> Literal["no_clogging", "forced_drainage", "clogging_suspected"]:
    """Zero forced drainage over the period = no clogging (ETV-052-2101 §7.5). Clogging would
    show as forced drainage "measured continuously for several months" (§5.3 tbl 5-8 text):
    forced drainage on at least `sustained_days` consecutive days (a parameter, inferred) is
    "clogging_suspected"; any other forced drainage is "forced_drainage"."""
    volumes = np.atleast_1d(_f(daily_forced_drainage_m3))
    flowing = np.nan_to_num(volumes) > 0
    if not np.any(flowing):
        return "no_clogging"
    starts, stops = timebase.true_runs(flowing)
    return "clogging_suspected" if np.max(stops - starts) >= sustained_days else "forced_drainage"


def sudden_rise(
    daily_level_m: ArrayLike, rise_m: float, baseline_days: int = 7
) -> NDArray[np.bool_]:
    """Days whose reinjection level rose more than `rise_m` above the median of the previous
    `baseline_days` days: the clogging signature "a sudden rise of the reinjection-well level"
    (ETV-052-2101 §7.5(2)). The threshold and baseline length are parameters (inferred).
    Days without a full baseline are False."""
    levels = _f(daily_level_m)
    flags = np.zeros(levels.size, dtype=bool)
    if levels.size <= baseline_days:
        return flags
    windows = np.lib.stride_tricks.sliding_window_view(levels[:-1], baseline_days)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-gap baseline is NaN
        baseline = np.nanmedian(windows, axis=1)
    with np.errstate(invalid="ignore"):
        flags[baseline_days:] = (levels[baseline_days:] - baseline) > rise_m
    return flags


def clogging_indicator(
    forced_drainage_m3: float,
    circulation_m3: float,
    daily_reinjection_level_m: ArrayLike,
    rise_m: float,
    baseline_days: int = 7,
) -> dict[str, Any]:
    """Clogging KPIs (ETV-052-2101 §7.5, tbl 5-8): the forced-drainage share of the pumped
    volume, the reinjection level's change from its first-week median, and the days of
    sudden rise. `clogging` is True when either forced drainage occurred or a sudden rise
    was found (ETV-052-2101 §7.5: neither happened at Yokkaichi)."""
    levels = _f(daily_reinjection_level_m)
    total = forced_drainage_m3 + circulation_m3
    rises = sudden_rise(levels, rise_m, baseline_days)
    finite = levels[np.isfinite(levels)]
    change = float(finite[-1] - np.median(finite[:baseline_days])) if finite.size else float("nan")
    return {
        "forced_drainage_share": forced_drainage_m3 / total if total > 0 else 0.0,
        "reinjection_level_change_m": change,
        "sudden_rise_days": np.flatnonzero(rises),
        "clogging": bool(forced_drainage_m3 > 0 or rises.any()),
    }


# --- well construction and water (§4.2, §6) ------------------------------------------------


def screen_intersections_m(
    screen_top_m: float, screen_bottom_m: float, layer_top_m: ArrayLike, layer_bottom_m: ArrayLike
) -> NDArray[np.float64]:
    """Length of screen in each layer, m; depths below ground, positive down
    (ETV-052-2101 §4.2 and tbl 3-2: GL −6.5 to −14.5 m → 3.0 m upper sand, 0.5 m clay,
    4.5 m lower sand)."""
    tops, bottoms = _f(layer_top_m), _f(layer_bottom_m)
    overlap = np.minimum(bottoms, screen_bottom_m) - np.maximum(tops, screen_top_m)
    length: NDArray[np.float64] = np.clip(overlap, 0, None)
    return length


def screen_water_item(item: str, value: float, sets: Sequence[str]) -> list[str]:
    """One water-quality item against several guideline sets given as "set:system", e.g.
    "JRA-GL-02-1994/public-reproduction:once_through" (JRA GL-02-1994; the NEDO table applied
    two sets at once, ETV-052-2101 §6). Uses the project's limit data."""
    results: list[str] = []
    for key in sets:
        set_name, _, system = key.partition(":")
        limits = water_quality.limit_sets()[set_name]["systems"][system]
        results.append(water_quality.screen_value(value, limits.get(item.lower())))
    return results


def reinjection_deficit(pumped_m3: ArrayLike, reinjected_m3: ArrayLike) -> dict[str, NDArray[Any]]:
    """Open-loop target: return the whole pumped volume to the original aquifer
    (MOE-GL4-2024 §3.2(5)); flag any deficit (GL-T21)."""
    pumped, reinjected = _f(pumped_m3), _f(reinjected_m3)
    deficit = np.clip(pumped - reinjected, 0, None)
    return {"flag": deficit > 0, "deficit_m3": deficit, "reinjected_share": reinjected / pumped}


def extraction_temperature_inside(
    pre_operation_mean_k: float,
    extraction_k: ArrayLike,
    below_k: float = 5.0,
    above_k: float = 8.0,
) -> NDArray[np.bool_]:
    """Whether the extraction temperature stays in [pre-op mean − 5 K, mean + 8 K], bounds
    inclusive: the range NEDO's ATES tests showed no subsurface effect for
    (MOE-GL4-2024 microbial annex, GL-T23). An information flag, not a legal limit."""
    values = _f(extraction_k)
    return (values >= pre_operation_mean_k - below_k) & (values <= pre_operation_mean_k + above_k)


def l_per_min_to_m3_per_s(flow_l_per_min: ArrayLike) -> NDArray[np.float64]:
    """Conversion helper: L/min → m³/s (re-exported from core.lib.units)."""
    return units.l_per_min_to_m3_per_s(flow_l_per_min)
