"""Downsampling for plots: hand-checkable small arrays and properties over random ones
(output no longer than asked, first, last and extremes kept). Pure: no database."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from monitoring.domain import downsample


def test_minmax_keeps_first_last_and_each_buckets_extremes() -> None:
    # interior [5, 1, 2 | 9, 3, 4] in 2 buckets: (min 1 @2, max 5 @1), (min 3 @5, max 9 @4)
    y = [0, 5, 1, 2, 9, 3, 4, 0]
    assert downsample.minmax_indices(y, 6).tolist() == [0, 1, 2, 4, 5, 7]


def test_a_short_series_is_returned_whole() -> None:
    assert downsample.minmax_indices([3.0, 1.0, 2.0], 10).tolist() == [0, 1, 2]
    assert downsample.lttb_indices([0, 1, 2], [3.0, 1.0, 2.0], 10).tolist() == [0, 1, 2]


def test_fewer_than_four_output_points_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 4"):
        downsample.minmax_indices(np.arange(10.0), 3)


def test_lttb_picks_the_point_of_the_largest_triangle() -> None:
    # one interior bucket (samples 1..5) between (0, 0) and (6, 0): area 6·|y|, largest at the
    # spike y = 10 of sample 3
    y = [0, 0, 0, 10, 0, 0, 0]
    assert downsample.lttb_indices(np.arange(7.0), y, 5).tolist() == [0, 3, 6]


def test_missing_values_are_never_chosen_as_extremes() -> None:
    y = np.array([1.0, np.nan, -4.0, np.nan, 7.0, 2.0, np.nan, 0.0, 3.0, 1.0])
    for index in (downsample.minmax_indices(y, 4), downsample.lttb_indices(np.arange(10), y, 4)):
        kept = y[index]
        assert np.nanmin(kept) == -4.0
        assert np.nanmax(kept) == 7.0


def test_a_year_of_minutes_comes_back_as_datetimes_within_the_budget() -> None:
    times = np.datetime64("2021-01-01T00:00") + np.arange(525_600) * np.timedelta64(1, "m")
    values = np.sin(np.arange(525_600) / 1440 * 2 * np.pi)
    values[300_000] = 5.0  # one spike must survive
    for method in ("minmax", "lttb"):
        t, v = downsample.downsample(times, values, 2000, method=method)
        assert len(t) <= 2000
        assert t.dtype == times.dtype
        assert t[0] == times[0]
        assert t[-1] == times[-1]
        assert v.max() == 5.0


@settings(max_examples=200, deadline=None)
@given(
    y=hnp.arrays(
        np.float64,
        st.integers(1, 400),
        elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    ),
    n_out=st.integers(4, 60),
    method=st.sampled_from(["minmax", "lttb"]),
)
def test_output_fits_the_budget_and_keeps_first_last_and_extremes(
    y: np.ndarray, n_out: int, method: str
) -> None:
    x = np.arange(y.size, dtype=np.float64)
    if method == "minmax":
        index = downsample.minmax_indices(y, n_out)
    else:
        index = downsample.lttb_indices(x, y, n_out)
    assert len(index) <= n_out
    assert np.all(np.diff(index) > 0)  # sorted, unique
    assert index[0] == 0
    assert index[-1] == y.size - 1
    assert y[index].min() == y.min()
    assert y[index].max() == y.max()
