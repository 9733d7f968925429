"""GET /api/search?q=: places in every language and in Latin letters, borehole codes,
monitored systems and coordinates; only what the caller may see; bad input is a 400."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from core.models import District, Region
from monitoring.models import GroundSourceSystem
from tests.factories import RegionFactory, square
from wells.models import Borehole

URL = reverse("api:search")
# Maebashi's names as fixtures/gunma/district-names.csv gives them.
MAEBASHI = {
    "name_en": "Maebashi",
    "name_ja": "前橋市",
    "name_ru": "Маэбаси",
    "name_tg": "Маэбаси",
    "name_latin": "Maebashi",
}


@pytest.fixture
def places(gunma: Region) -> dict[str, object]:
    """Gunma (138.9–139.1 E, 36.4–36.6 N) with Maebashi and Ōta, a hidden region with a
    district and a borehole of its own, and boreholes and a system in and out of print."""
    maebashi = District.objects.create(
        region=gunma, code="10201", geometry=square(139.0, 36.45, 0.05), **MAEBASHI
    )
    District.objects.create(
        region=gunma,
        code="10205",
        geometry=square(138.92, 36.42, 0.04),
        name_en="Ota",
        name_ja="太田市",
        name_ru="Ота",
        name_tg="Ота",
        name_latin="Ōta",
    )
    hidden = RegionFactory(
        code="hidden", name_en="Hidden land", published=False, boundary=square(10.0, 10.0, 1.0)
    )
    District.objects.create(
        region=hidden, code="H1", geometry=square(10.1, 10.1, 0.1), name_en="Maebashi-Nishi"
    )
    Borehole.objects.create(
        region=hidden, code="HID-1", location=Point(10.2, 10.2), depth_m=10, published=True
    )
    Borehole.objects.create(
        region=gunma, code="YOS-T1", location=Point(139.01028, 36.4475), depth_m=51.3,
        published=True,
    )  # fmt: skip
    Borehole.objects.create(
        region=gunma, code="YOS-DRAFT", location=Point(139.02, 36.45), depth_m=20,
        published=False,
    )  # fmt: skip
    GroundSourceSystem.objects.create(
        region=gunma,
        code="tamamura-demo",
        name="Tamamura demonstration house",
        loop="closed",
        location=Point(139.11, 36.30),
        published=True,
    )
    return {"maebashi": maebashi, "hidden": hidden}


def _search(client, q: str, language: str = "en", **headers):  # type: ignore[no-untyped-def]
    return client.get(URL, {"q": q}, HTTP_ACCEPT_LANGUAGE=language, **headers)


@pytest.mark.parametrize("q", ["Maebashi", "前橋", "前橋市", "Маэбаси", "Маебаси", "maebasi"])
def test_a_place_is_found_by_its_name_in_any_language_or_spelling(client, places, q) -> None:
    response = _search(client, q)
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert (first["kind"], first["label"], first["region"]) == ("district", "Maebashi", "gunma")
    # it flies to a point inside Maebashi and fits its outline
    inside = Point(first["lon"], first["lat"], srid=4326)
    assert places["maebashi"].geometry.contains(inside)
    assert first["bbox"] == [139.0, 36.45, 139.05, 36.5]


def test_the_answer_names_places_in_the_callers_language(client, places) -> None:
    labels = {
        language: _search(client, "Maebashi", language).json()["results"][0]["label"]
        for language in ("en", "ja", "ru", "tg")
    }
    assert labels == {"en": "Maebashi", "ja": "前橋市", "ru": "Маэбаси", "tg": "Маэбаси"}


def test_a_name_with_a_macron_is_found_without_it(client, places) -> None:
    for q in ("Ota", "Ōta", "ota", "ŌTA"):
        first = _search(client, q).json()["results"][0]
        assert first["label"] == "Ota", q


def test_a_region_is_found_by_its_name(client, places) -> None:
    first = _search(client, "Gunma").json()["results"][0]
    assert (first["kind"], first["region"]) == ("region", "gunma")
    assert first["bbox"] == [138.9, 36.4, 139.1, 36.6]


def test_a_borehole_and_a_monitored_system_are_found_by_code_and_name(client, places) -> None:
    first = _search(client, "YOS-T1").json()["results"][0]
    assert (first["kind"], first["label"], first["lat"], first["lon"]) == (
        "borehole", "YOS-T1", 36.4475, 139.01028,
    )  # fmt: skip
    system = _search(client, "Tamamura").json()["results"][0]
    assert (system["kind"], system["label"]) == ("system", "Tamamura demonstration house")


@pytest.mark.parametrize(
    ("q", "lat", "lon"),
    [
        ("36.4475, 139.01028", 36.4475, 139.01028),
        ("36,4475; 139,01028", 36.4475, 139.01028),
        # 36°26′51″ = 36.4475°; 139°0′37″ = 139.010278°
        ("36°26′51″N 139°0′37″E", 36.4475, 139.01028),
        ("北緯36度26分51秒 東経139度0分37秒", 36.4475, 139.01028),
    ],
)
def test_coordinates_come_first_with_the_region_they_fall_in(client, places, q, lat, lon) -> None:
    first = _search(client, q).json()["results"][0]
    assert first["kind"] == "coordinates"
    assert (first["lat"], first["lon"]) == (lat, lon)
    assert first["region"] == "gunma"
    assert first["label"] == "36.4475° N, 139.01028° E"


def test_coordinates_are_labelled_in_the_callers_language(client, places) -> None:
    first = _search(client, "36.4475 139.01028", "ru").json()["results"][0]
    assert first["label"] == "36,4475° с. ш., 139,01028° в. д."
    outside = _search(client, "0.5, 0.5").json()["results"][0]
    assert (outside["region"], outside["detail"]) == (None, "outside every region")


@pytest.mark.parametrize(
    "persona",
    ["anonymous", "planner", "installer", "gunma_steward"],
)
def test_an_unpublished_region_and_unpublished_rows_stay_hidden(
    client, personas, places, persona
) -> None:
    if personas[persona] is not None:
        client.force_login(personas[persona])
    found = {r["label"] for q in ("Hidden", "Maebashi", "HID", "YOS") for r in _search(
        client, q).json()["results"]}  # fmt: skip
    assert "Hidden land" not in found
    assert "Maebashi-Nishi" not in found  # a district of the hidden region
    assert "HID-1" not in found  # a published borehole of the hidden region
    assert ("YOS-DRAFT" in found) is (persona == "gunma_steward")  # its steward sees drafts
    coordinates = _search(client, "10.5, 10.5").json()["results"][0]
    assert coordinates["region"] is None  # the hidden region is not named either


def test_the_admin_finds_the_hidden_region(client, personas, places) -> None:
    client.force_login(personas["admin"])
    found = {r["label"] for r in _search(client, "Hidden").json()["results"]}
    assert "Hidden land" in found


@pytest.mark.parametrize(
    ("q", "words"),
    [
        ("", "Give q"),
        ("   ", "Give q"),
        ("Maebashi\x00", "control character"),
        ("a\nb", "control character"),
        ("x" * 10_000, "10000 characters"),
        ("95N 10E", "Latitude 95° is beyond ±90°."),
        ("36.5, 181", "Longitude 181° is beyond ±180°."),
        ("36 61 0 139 0 0", "below 60"),
    ],
)
def test_bad_input_is_a_400_that_says_why(client, places, q, words) -> None:
    response = _search(client, q)
    assert response.status_code == 400
    assert response.json()["field"] == "q"
    assert words in response.json()["detail"]


def test_a_missing_q_is_a_400_and_a_bad_coordinate_is_said_in_the_callers_language(
    client, places
) -> None:
    assert client.get(URL).status_code == 400
    response = _search(client, "95N 10E", "ru")
    assert response.status_code == 400
    assert response.json()["detail"] == "Широта 95° за пределами ±90°."


def test_nothing_found_is_an_empty_list(client, places) -> None:
    response = _search(client, "Atlantis")
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_the_search_takes_a_bounded_number_of_queries(
    client, places, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(6):  # regions, districts, boreholes, systems, session
        assert _search(client, "Maebashi").status_code == 200
