"""PostGIS does the geodesy: distances and areas in metres on the WGS84 spheroid."""

from __future__ import annotations

import math

import pytest
from django.contrib.gis.db.models.functions import Distance, Transform
from django.contrib.gis.geos import Point
from django.db.models import F

from core.models import Region
from core.services import GeographyArea
from tests.factories import RegionFactory, square

# WGS84 (EPSG:4326 / 7030)
WGS84_A_M = 6378137.0
WGS84_F = 1 / 298.257223563
MEAN_EARTH_RADIUS_M = 6371008.8  # IUGG mean radius; only for the small bulge term


def ellipsoid_quadrangle_area_m2(lat1_deg: float, lat2_deg: float, dlon_deg: float) -> float:
    """Area of a lon/lat "square" whose edges are geodesics, as PostGIS geography has them.

    Between two parallels and two meridians on the WGS84 ellipsoid:
    A = b²·Δλ/2 · [q(φ2) − q(φ1)], q(φ) = sinφ/(1 − e²sin²φ) + 1/(2e)·ln((1 + e sinφ)/(1 − e sinφ))
    (authalic latitude, Snyder 1987, Map Projections: A Working Manual, eq. 3-12).
    A polygon edge from (λ, φ) to (λ + Δλ, φ) is a geodesic, not a parallel: it bulges towards
    the pole by δφ ≈ Δλ²/8 · sinφ·cosφ, adding the parabolic segment ⅔·(R cosφ Δλ)·(R δφ)
    = R²Δλ³ sinφ cos²φ / 12 north of the top edge and taking it off at the bottom edge.
    """
    e2 = WGS84_F * (2 - WGS84_F)
    e = math.sqrt(e2)
    b2 = (WGS84_A_M * (1 - WGS84_F)) ** 2
    dlon = math.radians(dlon_deg)

    def q(lat_deg: float) -> float:
        s = math.sin(math.radians(lat_deg))
        return s / (1 - e2 * s * s) + 1 / (2 * e) * math.log((1 + e * s) / (1 - e * s))

    def bulge_m2(lat_deg: float) -> float:
        lat = math.radians(lat_deg)
        return MEAN_EARTH_RADIUS_M**2 * dlon**3 * math.sin(lat) * math.cos(lat) ** 2 / 12

    between_parallels = b2 * dlon / 2 * (q(lat2_deg) - q(lat1_deg))
    return between_parallels + bulge_m2(lat2_deg) - bulge_m2(lat1_deg)


@pytest.mark.django_db
def test_distance_along_the_equator_is_measured_on_the_spheroid() -> None:
    RegionFactory(code="equator", boundary=square(0.0, 0.0, 0.2))
    # Nearest point of the square to (1.2°, 0) is (0.2°, 0): 1° of the equator apart.
    # Along the equator the geodesic is the equator: s = a·Δλ = 6378137 m × π/180.
    expected_m = WGS84_A_M * math.pi / 180  # 111 319.49 m
    distance = (
        Region.objects.annotate(d=Distance("boundary", Point(1.2, 0.0, srid=4326), spheroid=True))
        .get(code="equator")
        .d
    )
    assert distance.m == pytest.approx(expected_m, abs=0.1)


@pytest.mark.django_db
def test_geography_area_of_a_one_degree_square_matches_the_ellipsoid_formula() -> None:
    RegionFactory(code="equator", boundary=square(0.0, 0.0, 1.0))
    area_m2 = Region.objects.annotate(a=GeographyArea(F("boundary"))).get(code="equator").a
    expected = ellipsoid_quadrangle_area_m2(0.0, 1.0, 1.0)  # ≈ 12 308.78 km²
    assert area_m2 == pytest.approx(expected, rel=1e-6)


@pytest.mark.django_db
def test_transform_to_the_regions_utm_zone_gives_metres() -> None:
    region = RegionFactory(code="naha", boundary=square(127.6, 26.1, 0.2), raster_crs_epsg=32652)
    utm = (
        Region.objects.annotate(utm=Transform("boundary", region.raster_crs_epsg))
        .get(pk=region.pk)
        .utm
    )
    (x0, y0), (x1, y1) = utm[0][0][0], utm[0][0][1]  # the south edge, 127.6° to 127.8° at 26.1°
    # Hand calculation: along the parallel, length = N·cosφ·Δλ with N = a/√(1 − e² sin²φ);
    # UTM scales it by k ≈ k0·(1 + (Δλ_cm·cosφ)²/2), k0 = 0.9996, Δλ_cm = 1.3° from the
    # central meridian of zone 52 (129° E) to the edge's middle (Snyder 1987, eq. 8-11, 1st order).
    lat = math.radians(26.1)
    e2 = WGS84_F * (2 - WGS84_F)
    n_m = WGS84_A_M / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    k = 0.9996 * (1 + (math.radians(1.3) * math.cos(lat)) ** 2 / 2)
    expected_m = n_m * math.cos(lat) * math.radians(0.2) * k  # ≈ 19 990 m
    assert math.hypot(x1 - x0, y1 - y0) == pytest.approx(expected_m, rel=2e-4)
