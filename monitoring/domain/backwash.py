"""Automatic backwash of the reinjection well (ETV-052-2101 §3.3(4), tbl 7-1/7-2): the
schedule rule, volumes, the pattern, counts and intervals of a calendar, and the backwash-day
signature in daily run hours. Pure numpy, SI: s, m³, m³/s.

The rule: once the HP's cumulative operating time since the last backwash first exceeds the
management threshold T_manage (= T_max − 24 h), the reinjection well is backwashed at the next
day's backwash time (03:00), so that T_manage < cumulative time ≤ T_max at the backwash.
T_max (72 h at Yokkaichi, from the NEDO onset test) is site-specific: always a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.lib import units
from monitoring.domain import timebase

HOUR_S = timebase.SECONDS_PER_HOUR
DAY_S = timebase.SECONDS_PER_DAY


@dataclass(frozen=True)
class BackwashProgram:
    """The controller's parameters; defaults are Yokkaichi's (ETV-052-2101 §3.3(4))."""

    t_max_s: float = 72 * HOUR_S
    t_manage_s: float | None = None  # None: t_max_s − 24 h
    backwash_time_of_day_s: float = 3 * HOUR_S  # 03:00 local: no air-conditioning at night
    flow_m3_per_s: float = 100 / 60_000  # pump maximum, 100 L/min
    pulses: int = 5
    pulse_s: float = 600.0
    pause_s: float = 600.0

    @property
    def manage_s(self) -> float:
        return self.t_max_s - 24 * HOUR_S if self.t_manage_s is None else self.t_manage_s

    @property
    def duration_s(self) -> float:
        return pattern_duration_s(self.pulses, self.pulse_s, self.pause_s)["total_s"]

    @property
    def volume_m3(self) -> float:
        return float(volume_m3(self.flow_m3_per_s, self.pulses, self.pulse_s))


@dataclass(frozen=True)
class ScheduledBackwash:
    """One backwash the rule calls for. Times are of the kind given (datetime64 or float s)."""

    threshold_crossed_at: Any
    backwash_at: Any
    cumulative_run_s: float
    within_window: bool


def _intervals_s(run_intervals: ArrayLike) -> NDArray[np.float64]:
    array = np.asarray(run_intervals)
    if array.size == 0:
        return np.empty((0, 2))
    seconds = timebase.as_seconds(array.reshape(-1)).reshape(-1, 2)
    if np.any(seconds[:, 1] < seconds[:, 0]):
        raise ValueError("a run interval must not end before it starts")
    return seconds[np.argsort(seconds[:, 0], kind="stable")]


def _next_backwash_s(
    intervals: NDArray[np.float64],
    reset_s: float,
    manage_s: float,
    t_max_s: float,
    time_of_day_s: float,
) -> tuple[float, float, float, bool] | None:
    starts = np.maximum(intervals[:, 0], reset_s)
    ends = intervals[:, 1]
    lengths = np.clip(ends - starts, 0, None)
    before = np.cumsum(lengths) - lengths
    exceeded = np.flatnonzero(before + lengths > manage_s)
    if exceeded.size == 0:
        return None
    k = exceeded[0]
    crossed = starts[k] + max(manage_s - before[k], 0.0)
    backwash = np.floor(crossed / DAY_S) * DAY_S + DAY_S + time_of_day_s
    cumulative = float(np.clip(np.minimum(ends, backwash) - starts, 0, None).sum())
    return float(crossed), float(backwash), cumulative, manage_s < cumulative <= t_max_s


def schedule(
    run_intervals: ArrayLike,
    reset_at: Any,
    t_max_s: float = 72 * HOUR_S,
    t_manage_s: float | None = None,
    backwash_time_of_day_s: float = 3 * HOUR_S,
) -> ScheduledBackwash | None:
    """The next backwash after the counter was reset at `reset_at`, from HP run intervals
    (n × 2 start/end, local datetime64 or float s) (ETV-052-2101 §3.3(4)).

    The threshold is crossed at the first instant the cumulative run time since the reset
    exceeds T_manage (the instant it reaches T_manage while running, or the start of the next
    run if it reached it exactly at a stop). The backwash is at the backwash time of the
    calendar day after that instant ("翌日の午前3時", inferred reading). Run time from the reset
    up to the backwash is compared with the window (T_manage, T_max]; the boundary passes.
    None when the threshold is not exceeded within the intervals given.
    """
    program = BackwashProgram(t_max_s=t_max_s, t_manage_s=t_manage_s)
    found = _next_backwash_s(
        _intervals_s(run_intervals),
        float(timebase.as_seconds(np.atleast_1d(reset_at))[0]),
        program.manage_s,
        t_max_s,
        backwash_time_of_day_s,
    )
    if found is None:
        return None
    crossed, backwash, cumulative, within = found
    template = np.atleast_1d(reset_at)
    return ScheduledBackwash(
        timebase.like([crossed], template)[0],
        timebase.like([backwash], template)[0],
        cumulative,
        within,
    )


def simulate_season(
    run_intervals: ArrayLike, reset_at: Any, program: BackwashProgram | None = None
) -> list[ScheduledBackwash]:
    """Every backwash the rule calls for over a run-hour profile (ETV-052-2101 §3.3(4), the
    automatic backwash program). After each backwash the counter restarts at the end of the
    pattern (the HP is off while the well is backwashed, ETV-052-2101 tbl 5-8), so run time
    inside the pattern is not counted."""
    program = program or BackwashProgram()
    intervals = _intervals_s(run_intervals)
    template = np.atleast_1d(reset_at)
    reset = float(timebase.as_seconds(template)[0])
    events: list[ScheduledBackwash] = []
    while True:
        found = _next_backwash_s(
            intervals, reset, program.manage_s, program.t_max_s, program.backwash_time_of_day_s
        )
        if found is None:
            return events
        crossed, backwash, cumulative, within = found
        events.append(
            ScheduledBackwash(
                timebase.like([crossed], template)[0],
                timebase.like([backwash], template)[0],
                cumulative,
                within,
            )
        )
        reset = backwash + program.duration_s


def volume_m3(flow_m3_per_s: ArrayLike, pulses: ArrayLike, pulse_s: ArrayLike) -> NDArray[Any]:
    """Water discharged per backwash = flow × pulses × pulse length, m³
    (ETV-052-2101 §3.3(4): 100 L/min × 5 × 10 min = 5 kL; never reinjected)."""
    volume: NDArray[Any] = (
        np.asarray(flow_m3_per_s, dtype=np.float64) * np.asarray(pulses) * np.asarray(pulse_s)
    )
    return volume


def equivalent_discharge_m3(
    circulation_flow_m3_per_s: ArrayLike, t_max_s: ArrayLike, backwash_volume_m3: ArrayLike
) -> dict[str, NDArray[np.float64]]:
    """What discharging the circulation flow for T_max would waste, and the backwash's share
    of it (ETV-052-2101 §3.3(4): 40 L/min × 72 h = 172.8 m³, printed "170 kL"; 5/172.8)."""
    equivalent = np.asarray(circulation_flow_m3_per_s, dtype=np.float64) * np.asarray(t_max_s)
    return {"equivalent_m3": equivalent, "ratio": np.asarray(backwash_volume_m3) / equivalent}


def pattern_duration_s(pulses: int, pulse_s: float, pause_s: float) -> dict[str, float]:
    """Pulses of pumping separated by pauses: total = n·pulse + (n − 1)·pause
    (ETV-052-2101 §3.3(4): 10 min × 5 + 10 min × 4 = 90 min, 50 min pumping)."""
    if pulses < 1:
        raise ValueError("a backwash has at least one pulse")
    pumping = pulses * pulse_s
    return {"total_s": pumping + (pulses - 1) * pause_s, "pumping_s": pumping}


def count_in_windows(
    backwash_dates: ArrayLike, windows: Mapping[str, tuple[Any, Any]]
) -> dict[str, int]:
    """Backwashes per named window, both ends inclusive (ETV-052-2101 tbl 7-1/7-2: 11 in the
    cooling window, 12 in the heating window)."""
    dates = timebase.as_days(backwash_dates)
    return {
        name: int(np.count_nonzero((dates >= timebase.as_days(a)) & (dates <= timebase.as_days(b))))
        for name, (a, b) in windows.items()
    }


def intervals_days(backwash_dates: ArrayLike) -> NDArray[np.int64]:
    """Days between consecutive backwashes (ETV-052-2101 tbl 7-1/7-2; mostly 7)."""
    return np.diff(timebase.as_days(backwash_dates)).astype(np.int64)


def mean_run_s_per_cycle(
    run_s: ArrayLike, backwashes: ArrayLike, window_s: tuple[float, float]
) -> dict[str, NDArray[Any]]:
    """Mean HP run time per backwash cycle and whether it lies in [T_manage, T_max], inclusive
    (ETV-052-2101 tbl 7-3 ③ ÷ backwash count: 566.4 h / 11 = 51.5 h)."""
    mean = np.asarray(run_s, dtype=np.float64) / np.asarray(backwashes, dtype=np.float64)
    low, high = window_s
    return {"mean_s": mean, "within_window": (mean >= low) & (mean <= high)}


def detect_backwash_days(
    pump_run_s: ArrayLike, hp_run_s: ArrayLike, min_excess_s: float
) -> NDArray[np.bool_]:
    """Backwash-day signature: the well pump runs at least `min_excess_s` longer than the HP
    that day (ETV-052-2101 appendix 2.1: ≈ 0.9 h on 08-26, 12-03, 01-12; equal otherwise).
    The threshold is a parameter (inferred; 50 min of backwash pumping suggests ≈ 0.5 h)."""
    excess = np.asarray(pump_run_s, dtype=np.float64) - np.asarray(hp_run_s, dtype=np.float64)
    return excess >= min_excess_s


def cumulative_run_since_reset_s(
    times: ArrayLike, running: ArrayLike, reset_times: ArrayLike, step_s: float | None = None
) -> NDArray[np.float64]:
    """HP run time since the last backwash at the end of each sample's step, s (the counter of
    ETV-052-2101 §3.3(4)). Each sample covers the step that starts at it; a reset cuts the
    count at its instant (samples before the first reset count from the series start)."""
    seconds = timebase.as_seconds(times)
    if seconds.size == 0:
        return np.empty(0)
    step = timebase.nominal_step_s(seconds) if step_s is None else step_s
    following = np.append(seconds[1:], seconds[-1] + step)
    run = np.where(np.asarray(running, dtype=bool), following - seconds, 0.0)
    through = np.cumsum(run)
    before = through - run  # run time before each sample
    resets = np.sort(timebase.as_seconds(np.atleast_1d(np.asarray(reset_times))))
    if resets.size == 0:
        return through
    # run time accumulated by the samples that start before each reset instant
    index = np.searchsorted(seconds, resets, side="left")
    padded_before = np.append(before, through[-1])
    base_at_reset = padded_before[index]
    last_reset = np.searchsorted(resets, seconds, side="right") - 1
    base = np.where(last_reset >= 0, base_at_reset[np.maximum(last_reset, 0)], 0.0)
    return through - base


def l_per_min_to_m3_per_s(flow_l_per_min: ArrayLike) -> NDArray[np.float64]:
    """Conversion helper: L/min → m³/s (re-exported from core.lib.units)."""
    return units.l_per_min_to_m3_per_s(flow_l_per_min)
