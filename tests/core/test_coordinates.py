"""Coordinates as people type them (core.lib.coordinates; pure, no database).

Expected values are hand-computed: 36°23′22″ = 36 + 23/60 + 22/3600 = 36.389444…°;
139°3′48″ = 139 + 3/60 + 48/3600 = 139.063333…°; 36°23.37′ = 36 + 23.37/60 = 36.3895°.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.lib.coordinates import CoordinateError, LatLon, parse_coordinates

LAT_DMS = 36 + 23 / 60 + 22 / 3600
LON_DMS = 139 + 3 / 60 + 48 / 3600


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("36.3895, 139.0634", 36.3895, 139.0634),
        ("36.3895 139.0634", 36.3895, 139.0634),
        ("36.3895;139.0634", 36.3895, 139.0634),
        ("36,3895; 139,0634", 36.3895, 139.0634),  # decimal commas, as ru and tg write them
        ("36,3895 139,0634", 36.3895, 139.0634),
        ("-33.9 -70.1", -33.9, -70.1),
        ("−33.9, −70.1", -33.9, -70.1),  # the typeset minus sign
        (
            "３６．３８９５，１３９．０６３４",
            36.3895,
            139.0634,
        ),  # full-width, as a Japanese IME types
        ("139.0634, 36.3895", 36.3895, 139.0634),  # longitude first: only it can be > 90
        ("36°23′22″N 139°3′48″E", LAT_DMS, LON_DMS),
        ("36°23'22\"N, 139°3'48\"E", LAT_DMS, LON_DMS),  # typed quotes for ′ and ″
        ("N 36 23 22 E 139 3 48", LAT_DMS, LON_DMS),
        ("36 23 22 N 139 3 48 E", LAT_DMS, LON_DMS),
        ("36 23 22 139 3 48", LAT_DMS, LON_DMS),
        ("139°3′48″E 36°23′22″N", LAT_DMS, LON_DMS),  # letters decide the order
        ("36°23.37'N 139°03.8'E", 36.3895, 139 + 3.8 / 60),
        ("北緯36度23分22秒 東経139度3分48秒", LAT_DMS, LON_DMS),
        ("36°23′22″ с.ш. 139°3′48″ в.д.", LAT_DMS, LON_DMS),
        ("38°33′ с. ш. 68°47′ в. д.", 38 + 33 / 60, 68 + 47 / 60),  # Dushanbe
        ("33°27′S 70°40′W", -(33 + 27 / 60), -(70 + 40 / 60)),
        ("36.5° 139.2°", 36.5, 139.2),
    ],
)
def test_coordinates_are_read_in_every_written_form(text: str, lat: float, lon: float) -> None:
    position = parse_coordinates(text)
    assert position == LatLon(pytest.approx(lat, abs=1e-9), pytest.approx(lon, abs=1e-9))


@pytest.mark.parametrize(
    "text",
    ["Maebashi", "前橋", "Маебаси", "YOS-T1", "10201", "10-12", "", "   ", "N", "36", "36.5N"],
)
def test_names_codes_and_single_numbers_are_not_coordinates(text: str) -> None:
    assert parse_coordinates(text) is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("95N 10E", "Latitude 95° is beyond ±90°."),
        ("100, 200", "Latitude 100° is beyond ±90°."),
        ("36.5, 181", "Longitude 181° is beyond ±180°."),
        ("36 61 0 139 0 0", "Minutes and seconds must be below 60."),
        ("36.5N 139.2N", "Give one latitude (N or S) and one longitude (E or W)."),
        ("36.5 23 22 139 3 48", "Only the last of degrees, minutes and seconds may have decimals."),
        ("-36.5S 139E", "Give a hemisphere letter or a sign, not both."),
    ],
)
def test_coordinates_off_the_earth_say_why(text: str, why: str) -> None:
    with pytest.raises(CoordinateError) as raised:
        parse_coordinates(text)
    assert str(raised.value) == why
    assert raised.value.message % raised.value.params == why  # translatable at the edge


def test_a_very_long_text_is_not_read_as_coordinates() -> None:
    assert parse_coordinates("36.5 " * 5000 + "139.2") is None


@given(st.floats(-90, 90, allow_nan=False), st.floats(-180, 180, allow_nan=False))
def test_decimal_degrees_round_trip(lat: float, lon: float) -> None:
    position = parse_coordinates(f"{lat:.5f}, {lon:.5f}")
    assert position == LatLon(pytest.approx(lat, abs=1e-5), pytest.approx(lon, abs=1e-5))


@given(st.text(max_size=80))
def test_any_text_gives_a_position_none_or_a_coordinate_error(text: str) -> None:
    try:
        position = parse_coordinates(text)
    except CoordinateError:
        return
    if position is not None:
        assert abs(position.lat) <= 90
        assert abs(position.lon) <= 180
