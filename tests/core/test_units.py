"""Unit conversions at the edges (pure; no database)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.lib import units
from core.lib.crs import metric_crs_problem


def test_100_l_per_min_is_one_sixhundredth_of_a_cubic_metre_per_second() -> None:
    # 100 L/min = 0.1 m³ / 60 s
    assert units.l_per_min_to_m3_per_s(100) == pytest.approx(0.1 / 60)


def test_23_degrees_celsius_in_kelvin() -> None:
    assert units.celsius_to_kelvin(23.0) == pytest.approx(296.15)


@given(st.floats(-1e6, 1e6, allow_nan=False))
def test_conversions_round_trip(value: float) -> None:
    assert units.kelvin_to_celsius(units.celsius_to_kelvin(value)) == pytest.approx(value)
    assert units.m3_per_s_to_l_per_min(units.l_per_min_to_m3_per_s(value)) == pytest.approx(
        value, abs=1e-9
    )
    assert units.joules_to_kwh(units.kwh_to_joules(value)) == pytest.approx(value, abs=1e-9)


def test_nan_is_no_value_and_stays_nan() -> None:
    assert np.isnan(units.celsius_to_kelvin(np.array([np.nan]))).all()


@pytest.mark.parametrize("epsg", [32652, 32654, 32642, 6677])
def test_utm_and_japanese_plane_rectangular_zones_are_metric(epsg: int) -> None:
    assert metric_crs_problem(epsg) is None


@pytest.mark.parametrize(
    ("epsg", "why"),
    [(4326, "not projected"), (2240, "not in metres"), (999999, "not a known"), (None, "required")],
)
def test_geographic_feet_and_unknown_crs_are_refused(epsg: int | None, why: str) -> None:
    assert why in (metric_crs_problem(epsg) or "")
