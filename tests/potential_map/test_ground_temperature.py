"""Ground temperature from climate stations and altitude (pure: no database).

Stations come from the fixtures' climate-stations.csv files; positions are projected with pyproj
into each region's raster CRS (the one region.json names).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from pyproj import Transformer
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from core.lib.units import ZERO_CELSIUS_K
from potential_map.domain.ground_temperature import (
    GROUND_OFFSET_K,
    GROUND_OFFSET_STD_K,
    STANDARD_LAPSE_RATE_K_PER_M,
    TEMPERATURE_LOG_STD_K,
    ground_temperature_field,
    with_temperature_logs,
)
from potential_map.domain.interpolation import Z90
from potential_map.domain.uncertainty import local_override

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
EPSG = {"gunma": 32654, "tajikistan": 32642, "okinawa": 32652}


def stations(region: str) -> dict[str, np.ndarray]:
    with (FIXTURES / region / "climate-stations.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    units, rows = rows[0], rows[1:]
    assert units["annual_mean_air_temperature"] == "°C"
    assert units["elevation"] == "m"
    lon = np.array([float(r["lon"]) for r in rows])
    lat = np.array([float(r["lat"]) for r in rows])
    x, y = Transformer.from_crs(4326, EPSG[region], always_xy=True).transform(lon, lat)
    return {
        "code": np.array([r["code"] for r in rows]),
        "xy": np.column_stack([x, y]),
        "elevation": np.array([float(r["elevation"]) for r in rows]),
        "air_k": np.array([float(r["annual_mean_air_temperature"]) for r in rows]) + ZERO_CELSIUS_K,
        "rows": rows,
    }


def ols_slope(z: np.ndarray, t: np.ndarray) -> float:
    """The stations' lapse rate by hand: Σ(z − z̄)(t − t̄) / Σ(z − z̄)²."""
    return float(np.sum((z - z.mean()) * (t - t.mean())) / np.sum((z - z.mean()) ** 2))


# -- the fixture files ------------------------------------------------------------------------


def test_gunma_has_the_twelve_normals_of_yoshioka_table_4() -> None:
    gunma = stations("gunma")
    reference = json.loads((FIXTURES / "gunma" / "reference.json").read_text(encoding="utf-8"))
    normals = {  # Table 4's period (reference.json also holds Maebashi's 1991–2020 monthly)
        n["station"]: n["annual_mean_air_temperature_k"]
        for n in reference["climate_normals"]
        if n["period"] == "1981–2010"
    }
    assert len(gunma["code"]) == 12
    by_name = {r["name"]: float(r["annual_mean_air_temperature"]) for r in gunma["rows"]}
    assert set(by_name) == set(normals)
    for name, celsius in by_name.items():
        assert celsius + ZERO_CELSIUS_K == pytest.approx(normals[name], abs=1e-9)
    assert all(r["temperature_source"].startswith("YOSHIOKA-2014 Table 4") for r in gunma["rows"])


def test_tajikistan_spans_300_to_4000_m_and_says_it_was_typed_from_memory() -> None:
    tajikistan = stations("tajikistan")
    assert len(tajikistan["code"]) >= 8
    assert tajikistan["elevation"].min() < 400
    assert tajikistan["elevation"].max() > 4000
    for row in tajikistan["rows"]:
        assert "check before citing" in row["temperature_source"]
        assert row["temperature_provenance"] == "literature"


@pytest.mark.parametrize(
    ("region", "boundary"),
    [
        ("gunma", "municipalities.geojson"),
        ("okinawa", "municipalities.geojson"),
        ("tajikistan", "country.geojson"),
    ],
)
def test_every_station_stands_inside_its_region(region: str, boundary: str) -> None:
    data = json.loads((FIXTURES / region / boundary).read_text(encoding="utf-8"))
    features = data.get("features", [data])
    outline = unary_union([shape(f["geometry"]) for f in features])
    for row in stations(region)["rows"]:
        assert outline.contains(Point(float(row["lon"]), float(row["lat"]))), row["code"]


# -- the field --------------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["gunma", "tajikistan"])
def test_t0_falls_with_altitude_at_the_stations_lapse_rate(region: str) -> None:
    s = stations(region)
    # A vertical profile at the stations' centroid: same place, 0 to 3000 m.
    heights = np.linspace(0.0, 3000.0, 7)
    cells = np.repeat(s["xy"].mean(axis=0, keepdims=True), len(heights), axis=0)
    field = ground_temperature_field(s["xy"], s["elevation"], s["air_k"], cells, heights)
    slope = np.polyfit(heights, field.p50_k, 1)[0]
    by_hand = ols_slope(s["elevation"], s["air_k"])
    # By hand from the CSVs: Gunma −6.48 K/km, Tajikistan −5.82 K/km (least squares).
    assert by_hand < -0.004
    assert field.method == "regression kriging on elevation"
    assert slope == pytest.approx(field.lapse_rate_k_per_m, abs=1e-9)
    # The field's slope is the GLS estimate (the residuals' covariance weighs the stations);
    # it stays within 0.5 K/km of the stations' least-squares lapse rate.
    assert slope == pytest.approx(by_hand, abs=0.0005)
    assert np.all(np.diff(field.p50_k) < 0)


def test_a_murghab_cell_is_colder_than_a_dushanbe_cell_by_more_than_10_k() -> None:
    s = stations("tajikistan")
    murghab, dushanbe = (int(np.flatnonzero(s["code"] == c)[0]) for c in ("murghab", "dushanbe"))
    # Cells 100 m east of each station (a 250 m grid's cell holds its station within 177 m).
    cells = s["xy"][[murghab, dushanbe]] + np.array([100.0, 0.0])
    with_dem = ground_temperature_field(
        s["xy"], s["elevation"], s["air_k"], cells, s["elevation"][[murghab, dushanbe]]
    )
    without_dem = ground_temperature_field(s["xy"], s["elevation"], s["air_k"], cells)
    for field in (with_dem, without_dem):
        # By hand: 14.7 − (−1.1) = 15.8 K between the two stations' normals.
        assert field.p50_k[1] - field.p50_k[0] > 10.0
        assert field.p50_k[0] < ZERO_CELSIUS_K + 1.0  # Murghab's ground is near freezing


def test_with_a_dem_the_cell_at_a_station_reproduces_the_station() -> None:
    s = stations("gunma")
    # A 3 × 3 block of 100 m cells around each station; the station lies 30 m east, 20 m south
    # of its cell's centre; the DEM gives that cell the station's elevation, the others ±80 m.
    offsets = np.array([(dx, dy) for dy in (100.0, 0.0, -100.0) for dx in (-100.0, 0.0, 100.0)])
    relief = np.array([80.0, 40.0, 0.0, 40.0, 0.0, -40.0, 0.0, -40.0, -80.0])
    cells = (s["xy"][:, None, :] - np.array([30.0, -20.0]) + offsets[None]).reshape(-1, 2)
    dem = (s["elevation"][:, None] + relief[None]).reshape(-1)
    field = ground_temperature_field(s["xy"], s["elevation"], s["air_k"], cells, dem)
    centre = field.p50_k.reshape(-1, 9)[:, 4]
    assert centre == pytest.approx(s["air_k"] + GROUND_OFFSET_K, abs=0.05)
    # The station's own cell is known to the offset's uncertainty, not better (a band, not 0).
    assert field.std_k.reshape(-1, 9)[:, 4] == pytest.approx(GROUND_OFFSET_STD_K, abs=0.02)
    # Upslope neighbours are colder than downslope ones.
    block = field.p50_k.reshape(-1, 9)
    assert np.all(block[:, 0] < block[:, 4])
    assert np.all(block[:, 4] < block[:, 8])


def test_without_a_dem_the_stations_are_kriged_and_reproduced() -> None:
    s = stations("gunma")
    field = ground_temperature_field(s["xy"], s["elevation"], s["air_k"], s["xy"])
    assert field.method == "ordinary kriging of the stations"
    assert field.lapse_rate_k_per_m is None
    assert field.p50_k == pytest.approx(s["air_k"] + GROUND_OFFSET_K, abs=1e-6)


def test_the_band_is_the_kriging_variance_plus_the_offset_and_widens_away_from_stations() -> None:
    s = stations("gunma")
    near = s["xy"][:1] + np.array([[200.0, 0.0]])
    far = s["xy"].mean(axis=0, keepdims=True) + np.array([[0.0, 150_000.0]])
    field = ground_temperature_field(
        s["xy"], s["elevation"], s["air_k"], np.vstack([near, far]), [s["elevation"][0]] * 2
    )
    assert field.std_k[0] < field.std_k[1]
    assert field.std_k == pytest.approx(np.hypot(field.air_std_k, GROUND_OFFSET_STD_K))
    assert field.p90_k - field.p50_k == pytest.approx(Z90 * field.std_k)
    assert field.p50_k - field.p10_k == pytest.approx(Z90 * field.std_k)


def test_okinawa_uses_the_standard_lapse_rate_its_low_stations_cannot_fit() -> None:
    s = stations("okinawa")
    # Okinawa's stations stand at 4–40 m: too little altitude to fit a slope.
    assert np.ptp(s["elevation"]) < 300
    naha = int(np.flatnonzero(s["code"] == "naha")[0])
    cells = np.repeat(s["xy"][[naha]], 2, axis=0)
    field = ground_temperature_field(s["xy"], s["elevation"], s["air_k"], cells, [28.0, 528.0])
    assert field.lapse_rate_k_per_m == STANDARD_LAPSE_RATE_K_PER_M
    assert "standard atmosphere" in field.lapse_rate_basis
    # By hand: 500 m higher on Naha's spot, 500 × 6.5 K/km = 3.25 K colder.
    assert field.p50_k[0] - field.p50_k[1] == pytest.approx(3.25, abs=1e-6)
    assert field.p50_k[0] == pytest.approx(s["air_k"][naha] + GROUND_OFFSET_K, abs=1e-6)


def test_a_station_without_a_temperature_is_left_out_and_none_at_all_is_refused() -> None:
    s = stations("gunma")
    air = s["air_k"].copy()
    air[0] = np.nan
    field = ground_temperature_field(s["xy"], s["elevation"], air, s["xy"][1:3])
    assert field.stations_used == 11
    with pytest.raises(ValueError, match="no climate station"):
        ground_temperature_field(s["xy"][:1], s["elevation"][:1], [np.nan], s["xy"][:1])


def test_a_temperature_log_overrides_the_field_near_its_borehole() -> None:
    s = stations("gunma")
    maebashi = int(np.flatnonzero(s["code"] == "maebashi")[0])
    cells = s["xy"][maebashi] + np.array([[0.0, 0.0], [500.0, 0.0], [1000.0, 0.0], [5000.0, 0.0]])
    field = ground_temperature_field(s["xy"], s["elevation"], s["air_k"], cells)
    log_k, log_std = ZERO_CELSIUS_K + 17.0, 0.1  # a log 0.9 K warmer than the field there
    p10, p50, p90, std = local_override(
        field.p50_k, field.std_k, cells, cells[:1], [log_k], [log_std], length_m=1000.0
    )
    correction = log_k - field.p50_k[0]
    # By hand: ρ = exp(−d/1000 m) = 1, 0.607, 0.368 and (beyond 3 lengths) nothing.
    assert p50[0] == pytest.approx(log_k)
    assert p50[1] == pytest.approx(field.p50_k[1] + np.exp(-0.5) * correction)
    assert p50[2] == pytest.approx(field.p50_k[2] + np.exp(-1.0) * correction)
    assert p50[3] == field.p50_k[3]
    assert std[0] == pytest.approx(log_std)
    rho = np.exp(-0.5)
    assert std[1] == pytest.approx(np.sqrt((1 - rho**2) * field.std_k[1] ** 2 + rho**2 * 0.01))
    assert np.all(p10 < p50)
    assert np.all(p50 < p90)


def test_the_logs_wrapper_keeps_the_fields_record_and_says_logs_were_used() -> None:
    s = stations("gunma")
    cells = s["xy"][:3] + 10.0
    field = ground_temperature_field(s["xy"], s["elevation"], s["air_k"], cells)
    assert with_temperature_logs(field, cells, np.empty((0, 2)), []) is field
    logged = with_temperature_logs(field, cells, cells[:1], [290.0])
    assert logged.p50_k[0] == pytest.approx(290.0)
    assert logged.std_k[0] == pytest.approx(TEMPERATURE_LOG_STD_K)
    assert logged.method.endswith("1 temperature logs override it near their boreholes")
    assert logged.air_temperature_k is field.air_temperature_k
