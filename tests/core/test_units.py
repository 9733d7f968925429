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


# Display units of the map (#22): what people read, converted at the edge.


def test_ground_temperature_is_shown_in_celsius() -> None:
    # 289.65 K, Gunma's regional ground temperature (YOSHIOKA-2014 §2.6), is 16.5 °C.
    assert units.display_unit("K") == "°C"
    assert units.to_display(289.65, "K") == pytest.approx(16.5)


def test_doublet_power_is_shown_in_kilowatts() -> None:
    # 4,666,682 W, the largest Gunma doublet of the issue, is 4,666.682 kW.
    assert units.display_unit("W") == "kW"
    assert units.to_display(4_666_682.0, "W") == pytest.approx(4666.682)


def test_well_flow_is_shown_in_cubic_metres_an_hour() -> None:
    # 0.009918 m³/s × 3600 s/h = 35.7048 m³/h
    assert units.display_unit("m³/s") == "m³/h"
    assert units.to_display(0.009918, "m³/s") == pytest.approx(35.7048)


def test_areas_are_shown_in_square_kilometres_or_hectares() -> None:
    # Gunma's outline, 6,359,689,013 m² on the ellipsoid, is 6,359.689013 km²; 1 ha = 10⁴ m².
    assert units.display_unit("m²") == "km²"
    assert units.to_display(6_359_689_013.0, "m²") == pytest.approx(6359.689013)
    assert units.m2_to_hectares(25_000.0) == pytest.approx(2.5)


@pytest.mark.parametrize("unit", ["W/m", "W/(m·K)", "m", "class"])
def test_units_people_already_use_are_shown_as_stored(unit: str) -> None:
    assert units.display_unit(unit) == unit
    assert units.to_display([1.5, np.nan], unit)[0] == 1.5
    assert np.isnan(units.to_display([1.5, np.nan], unit)[1])
