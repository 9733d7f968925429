"""The site's own basemap: a region's district outlines with names in the asked language,
label points and areas; cached by version; as visible as its region."""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from core.models import District, Region
from tests.factories import square


@pytest.fixture
def districts(gunma: Region) -> list[District]:
    return [
        District.objects.create(
            region=gunma,
            code="10201",
            geometry=square(139.0, 36.45, 0.05),
            name_en="Maebashi",
            name_ja="前橋市",
            name_ru="Маэбаси",
            name_tg="Маэбаси",
            name_latin="Maebashi",
        ),
        District.objects.create(
            region=gunma, code="10345", geometry=square(138.95, 36.45, 0.05), name_ja="吉岡町"
        ),
    ]


def _basemap(client, code: str = "gunma", **query):  # type: ignore[no-untyped-def]
    headers = {key: query.pop(key) for key in list(query) if key.startswith("HTTP_")}
    return client.get(reverse("api:region-basemap", args=[code]), query, **headers)


def test_each_district_has_its_outline_name_label_point_and_area(client, districts) -> None:
    response = _basemap(client, lang="ru")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = json.loads(response.content)
    assert body["region"] == "gunma"
    features = {f["properties"]["code"]: f for f in body["features"]}
    maebashi = features["10201"]
    assert maebashi["properties"]["name"] == "Маэбаси"
    assert maebashi["geometry"]["type"] in ("Polygon", "MultiPolygon")
    label = Point(*maebashi["properties"]["label"], srid=4326)
    assert districts[0].geometry.contains(label)
    # 0.05° × 0.05° at 36.475° N: 0.05 × 111.32 km × cos 36.475° = 4.476 km east-west,
    # 0.05 × 110.99 km = 5.550 km north-south: ≈ 24.8 km²
    assert maebashi["properties"]["area_km2"] == pytest.approx(24.8, rel=0.01)
    # a district without a Russian name falls back to English, then Japanese
    assert features["10345"]["properties"]["name"] == "吉岡町"


def test_the_names_follow_the_asked_language(client, districts) -> None:
    names = {
        language: json.loads(_basemap(client, lang=language).content)["features"][0]["properties"][
            "name"
        ]
        for language in ("en", "ja", "ru", "tg")
    }
    assert names == {"en": "Maebashi", "ja": "前橋市", "ru": "Маэбаси", "tg": "Маэбаси"}
    without = _basemap(client, HTTP_ACCEPT_LANGUAGE="ja")
    assert json.loads(without.content)["features"][0]["properties"]["name"] == "前橋市"
    assert "Accept-Language" in without["Vary"]


def test_a_published_basemap_is_cached_and_revalidated_by_its_version(client, districts) -> None:
    first = _basemap(client, lang="en")
    assert "public" in first["Cache-Control"]
    etag = first["ETag"]
    assert _basemap(client, lang="en", HTTP_IF_NONE_MATCH=etag).status_code == 304
    # A renamed district is a new version: the old ETag no longer matches, the name is new.
    District.objects.filter(code="10201").update(name_en="Maebashi City")
    second = _basemap(client, lang="en", HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200
    assert second["ETag"] != etag
    assert "Maebashi City" in second.content.decode()


def test_an_unknown_language_is_a_400(client, districts) -> None:
    response = _basemap(client, lang="fr")
    assert response.status_code == 400
    assert "lang must be one of en, ja, ru, tg" in response.json()["detail"]


def test_an_unpublished_region_has_no_basemap_for_the_public(client, personas, districts) -> None:
    Region.objects.filter(code="gunma").update(published=False)
    assert _basemap(client, lang="en").status_code == 404
    client.force_login(personas["planner"])
    assert _basemap(client, lang="en").status_code == 404
    client.force_login(personas["gunma_steward"])
    response = _basemap(client, lang="en")
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]


def test_the_basemap_takes_a_bounded_number_of_queries(
    client, districts, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(4):  # region, fingerprint, districts (cache miss)
        assert _basemap(client, lang="ja").status_code == 200
