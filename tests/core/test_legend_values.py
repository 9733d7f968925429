"""Legend values of a continuous layer: few, distinct, round (core.lib.legend; pure).

The ranges are the issue's and the fixture regions' layers, in display units; the expected
values are the multiples of the round step inside each range, written out by hand, plus an
end (to two significant digits) where no multiple is within half a step of it.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.lib.legend import legend_values


@pytest.mark.parametrize(
    ("low", "high", "values"),
    [
        # conductivity of the test layer, 1–3 W/(m·K): step 0.5, both ends multiples
        (1.0, 3.0, [1.0, 1.5, 2.0, 2.5, 3.0]),
        # Gunma G.POT heating 10.78–13.51 W/m: step 0.5 (step 0.2 would give 14 values)
        (10.78, 13.51, [11.0, 11.5, 12.0, 12.5, 13.0, 13.5]),
        # Gunma doublet power 48.18–4,666.68 kW: step 1,000 and both ends, 48 and 4,700
        (48.18, 4666.68, [48.0, 1000.0, 2000.0, 3000.0, 4000.0, 4700.0]),
        # Gunma well flow 5.92–573 m³/h (0.00164–0.159 m³/s × 3600)
        (5.92, 573.3, [5.9, 100.0, 200.0, 300.0, 400.0, 500.0, 570.0]),
        # groundwater depth 0–41.4 m: step 10
        (0.0, 41.38, [0.0, 10.0, 20.0, 30.0, 40.0]),
    ],
)
def test_a_range_gets_round_distinct_values(low: float, high: float, values: list[float]) -> None:
    assert legend_values(low, high) == values


def test_a_constant_layer_is_one_value_not_five_equal_ones() -> None:
    # The "290 K" five times: Gunma's ground temperature, 289.65 K = 16.5 °C everywhere
    # (stored as float32, so 16.4999938…).
    assert legend_values(289.6499938964844 - 273.15, 289.6499938964844 - 273.15) == [16.5]


def test_no_values_for_a_layer_without_any() -> None:
    assert legend_values(math.nan, math.nan) == []


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(1e-3, 1e6, allow_nan=False),
)
def test_values_are_distinct_sorted_few_and_span_the_range(low: float, span: float) -> None:
    high = low + span
    values = legend_values(low, high)
    assert values == sorted(set(values))
    assert 1 <= len(values) <= 8  # six multiples at most, and the two ends
    if len(values) > 1:
        step = min(b - a for a, b in itertools.pairwise(values))
        assert values[0] <= low + span / 2
        assert values[-1] >= high - span / 2
        assert step > 0
