"""Layers API, legend, COG download and the point query: each role sees only what it may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Job
from potential_map.models import MapLayer
from tests.potential_map.test_tiles import layer  # noqa: F401 - the constant test layer


def test_the_layer_list_gives_units_definition_and_links(client, layer) -> None:  # noqa: F811
    body = client.get(reverse("api:maplayer-list")).json()
    (item,) = body["results"]
    assert (item["kind"], item["units"], item["version"]) == ("conductivity", "W/(m·K)", 1)
    assert item["tiles"].endswith(f"/tiles/{layer.pk}/{layer.version}/{{z}}/{{x}}/{{y}}.png")
    assert item["cog"] == reverse("api:maplayer-cog", args=[layer.pk])


def test_the_legend_spans_the_value_range_with_the_colour_map(client, layer) -> None:  # noqa: F811
    legend = client.get(reverse("api:maplayer-legend", args=[layer.pk])).json()
    assert [e["value"] for e in legend["entries"]] == [1.0, 1.5, 2.0, 2.5, 3.0]
    assert legend["entries"][0]["colour"] == "#440154"  # viridis at 0
    assert legend["units"] == "W/(m·K)"


def test_the_cog_downloads_when_published_and_is_404_otherwise(client, layer) -> None:  # noqa: F811
    response = client.get(reverse("api:maplayer-cog", args=[layer.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] in (b"II*\x00", b"II+\x00")
    MapLayer.objects.filter(pk=layer.pk).update(published=False)
    assert client.get(reverse("api:maplayer-cog", args=[layer.pk])).status_code == 404
    assert client.get(reverse("api:maplayer-list")).json()["results"] == []


def test_the_point_query_reads_every_layer_at_the_point(client, layer) -> None:  # noqa: F811
    body = client.get(reverse("api:point"), {"lat": 26.2, "lon": 127.7}).json()
    assert body["region"] == "tile-test"
    assert body["layers"]["conductivity"]["values"] == {"p50": 2.0, "p10": 1.0, "p90": 3.0}
    assert body["layers"]["conductivity"]["units"] == "W/(m·K)"


@pytest.mark.parametrize(
    ("query", "status"),
    [({"lat": 0, "lon": 0}, 404), ({"lat": 95, "lon": 0}, 400), ({"lat": "x"}, 400)],
)
def test_the_point_query_says_why_it_has_no_answer(client, layer, query, status) -> None:  # noqa: F811
    response = client.get(reverse("api:point"), query)
    assert response.status_code == status
    assert response.json()["error"]
    assert Job.objects.count() == 1  # nothing was queued by asking


def _square_geojson(lon: float, lat: float, size: float) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_parcel_gets_each_bands_statistics_over_its_cells(client, layer) -> None:  # noqa: F811
    # A 0.01° square (≈ 1 km × 1.1 km) inside the constant layer: P50 2.0, P10 1.0, P90 3.0
    feature = {"type": "Feature", "properties": {}, "geometry": _square_geojson(127.7, 26.2, 0.01)}
    response = client.post(reverse("api:parcel"), feature, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    parcel = body["layers"]["conductivity"]["parcel"]
    assert parcel["cells"] >= 4  # 500 m cells, all touched: at least 2 × 2
    assert parcel["bands"]["p50"] == {"mean": 2.0, "min": 2.0, "max": 2.0}
    assert parcel["bands"]["p10"]["mean"] == 1.0
    assert parcel["bands"]["p90"]["mean"] == 3.0
    # area by hand: 0.01° lon × cos(26.205°) × 111.32 km × 0.01° lat × 110.9 km ≈ 1.107 km²
    assert body["parcel"]["area_m2"] == pytest.approx(1.107e6, rel=0.01)
    assert body["layers"]["conductivity"]["values"]["p50"] == 2.0  # the point answer too


@pytest.mark.parametrize(
    ("geometry", "status", "words"),
    [
        ({"type": "Point", "coordinates": [127.7, 26.2]}, 400, "Polygon"),
        (  # a bow tie
            {
                "type": "Polygon",
                "coordinates": [
                    [[127.7, 26.2], [127.71, 26.21], [127.71, 26.2], [127.7, 26.21], [127.7, 26.2]]
                ],
            },
            400,
            "Self-intersection",
        ),
        (_square_geojson(127.6, 26.1, 0.19), 400, "km²"),  # ≈ 400 km²
        (_square_geojson(10.0, 10.0, 0.01), 404, "outside"),
        ({"type": "FeatureCollection", "features": []}, 400, "one parcel"),
    ],
)
def test_a_parcel_that_cannot_be_answered_says_why(client, layer, geometry, status, words) -> None:  # noqa: F811
    response = client.post(reverse("api:parcel"), geometry, content_type="application/json")
    assert response.status_code == status
    assert words in response.json()["error"]


def test_a_parcel_does_not_read_an_unpublished_layer(client, layer) -> None:  # noqa: F811
    MapLayer.objects.filter(pk=layer.pk).update(published=False)
    response = client.post(
        reverse("api:parcel"), _square_geojson(127.7, 26.2, 0.01), content_type="application/json"
    )
    assert response.json()["layers"] == {}


def test_the_layer_list_and_point_take_a_bounded_number_of_queries(
    client,
    layer,  # noqa: F811
    django_assert_max_num_queries,
) -> None:
    with django_assert_max_num_queries(3):
        assert client.get(reverse("api:maplayer-list")).status_code == 200
    # region, layers, then per layer its nearest boreholes and batches: 2 + 2 × 1 layer
    with django_assert_max_num_queries(4):
        assert client.get(reverse("api:point"), {"lat": 26.2, "lon": 127.7}).status_code == 200
