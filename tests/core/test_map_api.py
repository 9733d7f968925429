"""The map's light endpoints: district outlines, borehole clusters and a borehole's full
record; each shows a role only what it may see, in a bounded number of queries."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from core.models import District, Region
from tests.factories import RegionFactory, square
from wells.models import Borehole, GroundwaterLevel


@pytest.fixture
def map_data(personas) -> dict[str, Region]:  # type: ignore[no-untyped-def]
    """Okinawa (published) with 12 boreholes in two tight groups, one of them unpublished; a
    hidden region (unpublished) with a district and a borehole of its own."""
    okinawa = Region.objects.get(code="okinawa")
    hidden = RegionFactory(code="hidden", published=False, boundary=square(128.0, 26.5, 0.2))
    District.objects.create(
        region=okinawa, code="47201", name_en="Naha", geometry=square(127.65, 26.18, 0.05)
    )
    District.objects.create(
        region=hidden, code="99999", name_en="Secret", geometry=square(128.0, 26.5, 0.1)
    )
    for i in range(12):
        lon, lat = (127.70, 26.20) if i < 8 else (127.75, 26.25)
        Borehole.objects.create(
            region=okinawa,
            code=f"OK-{i:02d}",
            location=Point(lon + i * 1e-4, lat, srid=4326),
            depth_m=50,
            published=i != 11,  # OK-11 is unpublished
        )
    Borehole.objects.create(
        region=hidden, code="HID-1", location=Point(128.05, 26.55, srid=4326), depth_m=30
    )
    return {"okinawa": okinawa, "hidden": hidden}


def test_district_outlines_are_simplified_and_gated_by_their_region(client, map_data) -> None:
    body = client.get(reverse("api:district-list")).json()
    assert [f["properties"]["code"] for f in body["features"]] == ["47201"]
    numbers = [
        float(n) for n in re.findall(r"-?\d+\.\d+", json.dumps(body["features"][0]["geometry"]))
    ]
    assert numbers
    assert all(round(n, 4) == n for n in numbers)
    assert b"Secret" not in client.get(reverse("api:district-list")).content
    client.force_login(map_data["hidden"].steward_group.user_set.create(username="hid"))
    codes = {
        f["properties"]["code"] for f in client.get(reverse("api:district-list")).json()["features"]
    }
    assert codes == {"47201", "99999"}  # a steward sees the districts of their region


def test_clusters_count_only_visible_boreholes(client, map_data, personas) -> None:
    clusters = client.get(reverse("api:borehole-clusters"), {"zoom": 8}).json()
    counts = sorted(f["properties"]["count"] for f in clusters["features"])
    # at zoom 8 a cell is 360/256/4 ≈ 0.35°: both groups fall together; 11 published
    assert sum(counts) == 11
    assert b"OK-11" not in json.dumps(clusters).encode()
    assert b"HID" not in json.dumps(clusters).encode()
    client.force_login(personas["okinawa_steward"])
    assert (
        sum(
            f["properties"]["count"]
            for f in client.get(reverse("api:borehole-clusters"), {"zoom": 8}).json()["features"]
        )
        == 12
    )


def test_at_street_zoom_a_cluster_is_one_borehole_with_its_code(client, map_data) -> None:
    # zoom 18: a cell is 360/2^18/4 ≈ 3.4e-4°, the boreholes are 1e-4° apart: mostly singles
    features = client.get(
        reverse("api:borehole-clusters"), {"zoom": 18, "in_bbox": "127.69,26.19,127.72,26.21"}
    ).json()["features"]
    assert sum(f["properties"]["count"] for f in features) == 8  # the bbox holds the first group
    singles = [f for f in features if f["properties"]["count"] == 1]
    assert singles
    assert all(f["properties"]["code"].startswith("OK-0") for f in singles)


@pytest.mark.parametrize("zoom", ["", "x", "21", "-1"])
def test_clusters_refuse_a_bad_zoom(client, map_data, zoom) -> None:
    response = client.get(reverse("api:borehole-clusters"), {"zoom": zoom})
    assert response.status_code == 400
    assert "zoom" in response.json()["error"]


def test_a_boreholes_record_holds_its_children_that_the_caller_may_see(client, map_data) -> None:
    borehole = Borehole.objects.get(code="OK-00")
    for day, published in ((1, True), (2, False)):
        GroundwaterLevel.objects.create(
            region=borehole.region,
            borehole=borehole,
            measured_at=datetime(2024, 5, day, tzinfo=UTC),
            depth_to_water_m=3.0 + day,
            published=published,
        )
    body = client.get(reverse("api:borehole-record", args=[borehole.pk])).json()
    assert body["borehole"]["properties"]["code"] == "OK-00"
    assert [row["depth_to_water_m"] for row in body["groundwater_levels"]] == [4.0]
    assert set(body) >= {
        "geological_column",
        "temperature_logs",
        "water_chemistry",
        "pumping_tests",
    }
    hidden = Borehole.objects.get(code="OK-11")
    assert client.get(reverse("api:borehole-record", args=[hidden.pk])).status_code == 404


def test_map_endpoints_take_a_bounded_number_of_queries(
    client, map_data, django_assert_max_num_queries
) -> None:
    # The count must not grow with the number of rows: 12 boreholes, 2 districts.
    for name, query in (
        ("api:district-list", {}),
        ("api:borehole-clusters", {"zoom": 12}),
        ("api:borehole-list", {}),
        ("api:region-list", {}),
    ):
        with django_assert_max_num_queries(4):
            assert client.get(reverse(name), query).status_code == 200
