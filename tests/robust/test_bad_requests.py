"""The malformed requests of issue #19's probe, each answered 4xx with a message (none a 500),
and nothing written for a refusal. Each case is one line of the probe's list of server errors.

Okinawa here is a factory region (a square around Naha, no map layers): every request below
must be refused before any map is read, so none is needed.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from core.models import Job
from estimates.models import Estimate

pytestmark = pytest.mark.django_db

NAHA = {"lat": 26.2, "lon": 127.7}
GOOD_INPUTS = {
    "loads": "use",
    "building_use": "office",
    "floor_area_m2": 800,
    "system": "open_loop",
}


def estimate(client, body: object, **extra) -> object:  # type: ignore[no-untyped-def]
    return client.post(
        reverse("api:estimate-create"),
        json.dumps(body) if not isinstance(body, str | bytes) else body,
        content_type="application/json",
        **extra,
    )


def assert_refused_naming(response, field: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.content[:300]
    answer = response.json()
    assert field in answer["fields"], answer
    assert all(isinstance(m, str) and m for m in answer["fields"][field]), answer
    assert not Estimate.objects.exists()  # no orphan row for a refusal
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({**GOOD_INPUTS, "cop_heating": "four"}, "cop_heating"),
        ({**GOOD_INPUTS, "cop_heating": 0.2}, "cop_heating"),  # below any heat pump's COP
        ({**GOOD_INPUTS, "delta_t_k": 0}, "delta_t_k"),
        ({**GOOD_INPUTS, "building_use": ["office"]}, "building_use"),
        ({**GOOD_INPUTS, "building_use": "castle"}, "building_use"),
        ({**GOOD_INPUTS, "floor_area_m2": -5}, "floor_area_m2"),
        ({**GOOD_INPUTS, "floor_area_m2": "1,200"}, "floor_area_m2"),
        ({**GOOD_INPUTS, "system": "geothermal_steam"}, "system"),  # never computed as another
        ({**GOOD_INPUTS, "spacing_m": 0.01}, "spacing_m"),
        ({**GOOD_INPUTS, "loads": "guess"}, "loads"),
        ({"loads": "peaks", "heating_peak_w": True, "cooling_peak_w": 0}, "heating_peak_w"),
        ({"loads": "use", "floor_area_m2": 100}, "building_use"),  # a required field missing
        ({**GOOD_INPUTS, "colour": "blue"}, "colour"),  # an unknown input is named, not ignored
    ],
)
def test_an_estimate_input_out_of_its_type_or_range_is_refused_by_name(
    client, okinawa, inputs, field
) -> None:
    response = estimate(client, {**NAHA, "inputs": inputs})
    assert_refused_naming(response, f"inputs.{field}")


def test_an_infinite_number_in_json_is_refused(client, okinawa) -> None:
    body = '{"lat": 26.2, "lon": 127.7, "inputs": {"loads": "use", "building_use": "office",'
    body += ' "floor_area_m2": 1e400}}'
    response = estimate(client, body)
    assert response.status_code == 400
    assert "finite" in response.json()["error"]
    nan = estimate(client, body.replace("1e400", "NaN"))
    assert nan.status_code == 400


@pytest.mark.parametrize("parcel", ["", "a field by the river", [], 7, {"type": "Polygon"}])
def test_an_empty_or_textual_parcel_is_refused(client, okinawa, parcel) -> None:
    response = estimate(client, {**NAHA, "inputs": GOOD_INPUTS, "parcel": parcel})
    assert_refused_naming(response, "parcel")


def test_json_nested_deeper_than_64_is_refused_not_a_recursion_error(client, okinawa) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    for url in (reverse("api:estimate-create"), reverse("api:parcel")):
        response = client.post(url, deep, content_type="application/json")
        assert response.status_code == 400, url
        assert "deep" in response.json()["error"]
    # 64 levels is still JSON we read (the refusal is then about the content, not the depth)
    shallow = {"type": "Polygon", "coordinates": []}
    for _ in range(60):
        shallow = {"a": shallow}
    response = client.post(reverse("api:parcel"), shallow, content_type="application/json")
    assert response.status_code == 400
    assert "deep" not in response.json()["error"]


def test_a_json_body_over_its_bound_is_refused(client, okinawa, settings) -> None:
    settings.API_JSON_MAX_BYTES = 1000
    response = estimate(client, {**NAHA, "inputs": {**GOOD_INPUTS, "note": "x" * 2000}})
    assert response.status_code == 413


@pytest.mark.parametrize(
    "url",
    [
        "/api/regions/oki%00nawa/",
        "/api/field-test-sites?region=oki%00nawa",
        "/api/monitoring/systems/?region=%00",
        "/api/boreholes/?region__code=a%00b",
        "/en/planning/okinawa/districts.json?cop_heating=4%00",
        "/en/imports/?region=%00",
    ],
)
def test_a_nul_byte_in_a_url_or_query_is_a_400(client, okinawa, url) -> None:
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code)


def test_a_nul_byte_in_a_form_field_is_a_400(client, okinawa) -> None:
    response = client.post(reverse("estimates:design"), {**NAHA, "building_use": "off\x00ice"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "bbox", ["nan,26,128,27", "127,26,inf,27", "127,26,128", "x,y,z,w", "128,26,127,27"]
)
def test_a_bounding_box_that_is_no_box_is_a_400(client, okinawa, bbox) -> None:
    for url in (reverse("api:borehole-list"), reverse("api:borehole-clusters")):
        response = client.get(url, {"in_bbox": bbox, "zoom": 5})
        assert response.status_code == 400, (url, bbox, response.content[:200])
        assert "in_bbox" in response.json()["fields"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": "nan", "lon": "127.7"}, "lat"),
        ({"lat": "26.2", "lon": "1e400"}, "lon"),
        ({"lat": "91", "lon": "127.7"}, "lat"),
    ],
)
def test_a_point_that_is_not_a_place_is_a_400(client, okinawa, params, field) -> None:
    response = client.get(reverse("api:point"), params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_an_over_long_code_in_a_filter_is_a_400_not_a_database_error(client, okinawa) -> None:
    long = "x" * 5000
    for url in ("/api/districts/", "/api/boreholes/", "/api/layers/"):
        response = client.get(url, {"region__code": long})
        assert response.status_code == 400, (url, response.status_code)
    for url in ("/api/field-test-sites", "/api/monitoring/systems/"):
        response = client.get(url, {"region": long})
        assert response.status_code == 400, (url, response.status_code)


# --- the design form: the same refusals, and numbers as the page's language writes them ---


def design(client, language: str = "en", **fields: str):  # type: ignore[no-untyped-def]
    form = {"lat": "26.2", "lon": "127.7", "loads": "use", "building_use": "office"}
    form |= {"system": "open_loop", **fields}
    return client.post(f"/{language}/design/", form)


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [
        ("en", "1,200", 1200.0),
        ("en", "1200.5", 1200.5),
        ("ja", "1,200", 1200.0),
        ("ru", "1 200,5", 1200.5),
        ("ru", "1\u00a0200,5", 1200.5),  # CLDR's no-break space
        ("ru", "1\u202f200,5", 1200.5),  # and the narrow one newer CLDR gives
        ("tg", "1 200,5", 1200.5),
        ("ru", "12,5", 12.5),
    ],
)
def test_the_form_reads_numbers_as_the_page_language_writes_them(
    client, okinawa, language, typed, stored
) -> None:
    response = design(client, language, floor_area_m2=typed)
    assert response.status_code == 302, response.content.decode()[:500]
    # the factory region has no map, so the estimate is refused, but its inputs are kept
    assert Estimate.objects.get().inputs["floor_area_m2"] == stored


@pytest.mark.parametrize(
    ("language", "typed", "words"),
    [
        ("ru", "1,200", "ambiguous"),
        ("tg", "1,200", "ambiguous"),
        ("en", "1e400", "finite"),
        ("en", "1,20", "not a number"),
        ("en", "-5", "greater than or equal to 1"),
    ],
)
def test_the_form_refuses_a_number_it_would_misread_with_a_message(
    client, okinawa, language, typed, words
) -> None:
    with translation_of("en"):
        response = design(client, language, floor_area_m2=typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="estimate-error"' in html
    if language == "en":
        assert words in html, html[:2000]
    assert not Estimate.objects.exists()


def translation_of(language: str):  # type: ignore[no-untyped-def]
    from django.utils import translation

    return translation.override(language)


@pytest.mark.parametrize(
    "fields",
    [
        {"system": "geothermal_steam"},
        {"building_use": "castle"},
        {"loads": "guess"},
        {"spacing_m": "0.1"},
        {"parcel": "a field by the river"},
        {"parcel": "[" * 5000 + "]" * 5000},
        {"floor_area_m2": "nan"},
    ],
)
def test_the_form_refuses_what_the_api_refuses(client, okinawa, fields) -> None:
    response = design(client, "en", **{"floor_area_m2": "100", **fields})
    assert response.status_code == 400
    assert 'id="estimate-error"' in response.content.decode()
    assert not Estimate.objects.exists()


def _square_km(side_km: float) -> dict[str, object]:
    """A square parcel of side `side_km` at Naha (26.2 N): 1° lat = 110.8 km, 1° lon =
    111.3 km × cos 26.2° = 99.9 km (by hand)."""
    dlat, dlon = side_km / 110.8, side_km / 99.9
    lon, lat = 127.65, 26.22
    ring = [[lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_parcel_of_25_km2_is_refused_by_the_api_and_the_form(client, okinawa) -> None:
    parcel = _square_km(5.0)  # 25 km², over the 10 km² of /api/parcel
    answer = estimate(client, {**NAHA, "inputs": GOOD_INPUTS, "parcel": parcel})
    assert_refused_naming(answer, "parcel")
    assert "larger than 10 km²" in answer.json()["fields"]["parcel"][0]
    assert (
        client.post(reverse("api:parcel"), parcel, content_type="application/json").status_code
        == 400
    )
    page = design(client, "en", floor_area_m2="100", parcel=json.dumps(parcel))
    assert page.status_code == 400
    assert "larger than 10 km²" in page.content.decode()
    assert not Estimate.objects.exists()


def test_a_layout_search_past_its_candidate_bound_is_refused_with_the_spacing_that_would_do(
    client, okinawa
) -> None:
    # 3 km × 3 km = 9 km² (under the area bound) at 2 m: (3000/2 + 1)² ≈ 2.25 million candidate
    # positions, over 20,000; the message names the spacing that fits: √(9e6 / 2e4) = 21.2 m
    inputs = {**GOOD_INPUTS, "spacing_m": 2, "system": "closed_loop"}
    answer = estimate(client, {**NAHA, "inputs": inputs, "parcel": _square_km(3.0)})
    assert_refused_naming(answer, "parcel")
    assert "21.2 m" in answer.json()["fields"]["parcel"][0]


def test_an_over_long_district_code_in_a_district_layer_is_refused_by_row(client, personas) -> None:
    from core.models import District
    from tests.planning.test_uploads import _layer, _post

    client.force_login(personas["okinawa_steward"])
    response = _post(client, "districts", "d.geojson", _layer(("4" * 300, 127.7)))
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 20 characters" in html
    assert not District.objects.exists()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"end": "0001-01-01"}, "end"),
        ({"start": "9999-12-31T23:59:59"}, "start"),
        ({"end": "yesterday"}, "end"),
        ({"points": "1e9"}, "points"),
        ({"sensor": "s" * 500}, "sensor"),
    ],
)
def test_a_series_query_out_of_range_is_a_400_naming_its_field(client, params, field) -> None:
    from django.contrib.gis.geos import Point

    from monitoring.models import GroundSourceSystem, Loop
    from tests.factories import RegionFactory, square

    region = RegionFactory(code="mie", boundary=square(136.62, 34.97, 0.2), published=True)
    system = GroundSourceSystem.objects.create(
        region=region,
        code="s1",
        name="s1",
        loop=Loop.CLOSED,
        location=Point(136.7, 35.0, srid=4326),
        published=True,
    )
    url = reverse("api:monitoring-series", args=[system.pk])
    response = client.get(url, {"sensor": "q_hp", **params})
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()["fields"]
