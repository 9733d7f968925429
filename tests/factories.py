"""factory_boy factories. Geometries are small real places, so PostGIS numbers mean something."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import MultiPolygon, Polygon

from core.models import Job, Region


def square(lon: float, lat: float, size_deg: float) -> MultiPolygon:
    """A lon/lat square with its south-west corner at (lon, lat), EPSG:4326."""
    ring = (
        (lon, lat),
        (lon + size_deg, lat),
        (lon + size_deg, lat + size_deg),
        (lon, lat + size_deg),
        (lon, lat),
    )
    return MultiPolygon(Polygon(ring), srid=4326)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region{n}")
    name_en = factory.LazyAttribute(lambda r: r.code.title())
    boundary = factory.LazyFunction(lambda: square(127.6, 26.1, 0.2))  # around Naha
    raster_crs_epsg = 32652  # UTM 52N
    raster_resolution_m = 2000.0  # coarse: test maps compute in a moment
    currency = "JPY"
    published = True
    map_parameters = factory.LazyFunction(
        lambda: {
            key: {
                "value": value,
                "provenance": "source",
                "source": "GRASS-RGREEN r.green.gshp.theoretical defaults",
            }
            for key, value in {
                "heating_season_s": 180 * 86400.0,
                "cooling_season_s": 90 * 86400.0,
                "fluid_min_temperature_k": 271.15,
                "fluid_max_temperature_k": 308.15,
                "reference_bhe_length_m": 100.0,
                "ground_temperature_k": 289.15,
                "open_loop_delta_t_k": 7.0,
            }.items()
        }
    )


class JobFactory(factory.django.DjangoModelFactory[Job]):
    class Meta:
        model = Job

    kind = "measure_regions"


def role_group(name: str) -> Group:
    """The site-wide role group `name` (migration 0002 makes them; a flush may remove them)."""
    return Group.objects.get_or_create(name=name)[0]
