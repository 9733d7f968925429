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
    assert item["tiles"].endswith(f"/tiles/{layer.pk}/{{z}}/{{x}}/{{y}}.png")
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
    assert body["layers"]["conductivity"]["values"] == {"p50": 2.0}
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
