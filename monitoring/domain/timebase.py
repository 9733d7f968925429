"""Time axes for monitoring series: numpy datetime64 or float seconds, runs of True samples,
day and month buckets. Pure numpy.

Timestamps are the site's local wall-clock time (naive datetime64): the backwash clock
(03:00, ETV-052-2101 §3.3(4)) and the daily reductions (§7.5(2)) are local. The service
converts stored UTC instants with the site's zone before calling the domain. Float
timestamps are seconds since 1970-01-01T00:00 local.

Each sample stands for the step that starts at it: sample i covers [t_i, t_{i+1}); the last
sample covers one nominal step (the median spacing unless given).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

SECONDS_PER_DAY = 86400.0
SECONDS_PER_HOUR = 3600.0

Period = Literal["day", "month"]


def hours_to_s(hours: ArrayLike) -> NDArray[np.float64]:
    """Conversion helper: h → s (tables such as ETV-052-2101 tbl 7-3 print hours)."""
    return np.asarray(hours, dtype=np.float64) * SECONDS_PER_HOUR


def s_to_hours(seconds: ArrayLike) -> NDArray[np.float64]:
    """Conversion helper: s → h."""
    return np.asarray(seconds, dtype=np.float64) / SECONDS_PER_HOUR


def is_datetime(times: ArrayLike) -> bool:
    return np.asarray(times).dtype.kind == "M"


def as_seconds(times: ArrayLike) -> NDArray[np.float64]:
    """datetime64 (any unit) or float seconds → float seconds since the epoch."""
    array = np.asarray(times)
    if array.dtype.kind == "M":
        return array.astype("datetime64[ms]").astype(np.int64).astype(np.float64) / 1000.0
    if array.dtype.kind in "U" or array.dtype == object:
        return as_seconds(array.astype("datetime64[ms]"))
    return array.astype(np.float64)


def like(seconds: ArrayLike, template: ArrayLike) -> NDArray[Any]:
    """Float seconds back to the kind of `template` (datetime64[s] if it was datetimes)."""
    values = np.asarray(seconds, dtype=np.float64)
    if is_datetime(template) or np.asarray(template).dtype.kind == "U":
        return np.round(values).astype(np.int64).astype("datetime64[s]")
    return values


def nominal_step_s(seconds: NDArray[np.float64]) -> float:
    """The median spacing of the samples (0 for fewer than two)."""
    if seconds.size < 2:
        return 0.0
    return float(np.median(np.diff(seconds)))


def time_of_day_s(times: ArrayLike) -> NDArray[np.float64]:
    """Seconds since local midnight."""
    return np.mod(as_seconds(times), SECONDS_PER_DAY)


def bucket_starts(times: ArrayLike, period: Period) -> NDArray[np.datetime64]:
    """The day (datetime64[D]) or month (datetime64[M]) each sample falls in."""
    stamps = np.round(as_seconds(times)).astype(np.int64).astype("datetime64[s]")
    if period == "day":
        return stamps.astype("datetime64[D]")
    if period == "month":
        return stamps.astype("datetime64[M]")
    raise ValueError(f"unknown period {period!r}; use 'day' or 'month'")


def sum_by_bucket(
    times: ArrayLike, values: ArrayLike, period: Period
) -> tuple[NDArray[np.datetime64], NDArray[np.float64]]:
    """Sum of `values` per day or month, buckets in time order; NaN counts as no value (a
    bucket of NaN only sums to NaN)."""
    keys = bucket_starts(times, period)
    data = np.asarray(values, dtype=np.float64)
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = np.zeros(unique.size)
    counts = np.zeros(unique.size)
    finite = np.isfinite(data)
    np.add.at(sums, inverse[finite], data[finite])
    np.add.at(counts, inverse[finite], 1)
    sums[counts == 0] = np.nan
    return unique, sums


def as_days(dates: ArrayLike) -> NDArray[np.datetime64]:
    """ISO dates, datetime.date or datetime64 → datetime64[D]."""
    return np.asarray(dates).astype("datetime64[D]")


def true_runs(mask: ArrayLike) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Start and stop (exclusive) indices of each run of consecutive True values."""
    flags = np.asarray(mask, dtype=bool)
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.diff(padded)
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


@dataclass(frozen=True)
class Interval:
    """A span [start_s, end_s) in float seconds, with the sample indices it covers."""

    start_s: float
    end_s: float
    first: int
    stop: int  # exclusive

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def sustained_intervals(
    times: ArrayLike,
    mask: ArrayLike,
    min_duration_s: float = 0.0,
    step_s: float | None = None,
    max_gap_s: float | None = None,
) -> list[Interval]:
    """Runs of True samples lasting at least `min_duration_s`.

    A run's end is the time of the first sample after it (each sample covers the step that
    starts at it), or its last sample + `step_s` at the end of the series. A spacing larger
    than `max_gap_s` (default 1.5 × the nominal step) breaks a run: a logger gap is no value,
    not a continuation. GL-T20's daily samples 0, −0.5, −0.2, 0 °C thus last 4 × 24 h = 96 h.
    """
    seconds = as_seconds(times)
    flags = np.asarray(mask, dtype=bool)
    if seconds.shape != flags.shape:
        raise ValueError("times and mask must have the same length")
    if seconds.size == 0:
        return []
    if np.any(np.diff(seconds) <= 0):
        raise ValueError("times must increase strictly")
    step = nominal_step_s(seconds) if step_s is None else float(step_s)
    gap = 1.5 * step if max_gap_s is None else float(max_gap_s)
    # the end of each sample's step: the next sample, unless the logger skipped
    following = np.append(seconds[1:], seconds[-1] + step)
    spacing = following - seconds
    covered_end = np.where(spacing > gap, seconds + step, following)
    breaks = np.zeros(seconds.size, dtype=bool)
    breaks[1:] = spacing[:-1] > gap
    intervals = []
    starts, stops = true_runs(flags)
    for first, stop in zip(starts, stops, strict=True):
        # split a run where the logger skipped
        cut_points = first + 1 + np.flatnonzero(breaks[first + 1 : stop])
        bounds = [first, *cut_points.tolist(), stop]
        for a, b in itertools.pairwise(bounds):
            interval = Interval(float(seconds[a]), float(covered_end[b - 1]), int(a), int(b))
            if interval.duration_s >= min_duration_s:
                intervals.append(interval)
    return intervals
