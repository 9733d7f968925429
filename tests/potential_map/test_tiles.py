"""Tiles: a pixel's colour is the colour map of its value; unpublished layers are 404."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from django.urls import reverse
from PIL import Image
from rio_tiler.colormap import cmap

from core.models import Job
from potential_map.models import MapLayer
from tests.factories import RegionFactory, square
from tests.regions import constant_layer


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    """Web Mercator XYZ tile of a point (the slippy-map formula)."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


@pytest.fixture
def layer(db, tmp_path) -> MapLayer:
    """A 0.2° square near Naha with a constant value 2.0 in a layer ranging 1.0–3.0."""
    region = RegionFactory(code="tile-test", boundary=square(127.6, 26.1, 0.2))
    # P50 2.0, P10 1.0, P90 3.0: the three ends of the layer's 1.0–3.0 range
    return constant_layer(
        region,
        tmp_path / "constant.tif",
        {"p50": 2.0, "p10": 1.0, "p90": 3.0},
        resolution_m=500.0,
        colormap="viridis",
        job=Job.objects.create(kind="recompute"),
    )


def test_a_pixel_has_the_colour_of_its_value(client, layer) -> None:
    x, y = lonlat_to_tile(127.7, 26.2, 12)
    response = client.get(reverse("tile", args=[layer.pk, layer.version, 12, x, y]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    assert response["ETag"]
    image = np.array(Image.open(io.BytesIO(response.content)).convert("RGBA"))
    opaque = image[image[..., 3] == 255]
    assert len(opaque) > 0
    # 2.0 in 1.0–3.0 rescales to 127.5 → 127 of viridis
    expected = cmap.get("viridis")[127][:3]
    assert tuple(np.median(opaque[:, :3], axis=0).astype(int)) == pytest.approx(expected, abs=1)


def test_a_constant_layer_is_drawn_in_the_legends_middle_colour(client, layer) -> None:
    # A regional ground temperature (one value everywhere) was drawn in the colour map's end:
    # black for inferno, hiding the basemap. It takes the middle colour (127.5 → 127), and
    # the legend's one entry shows the same colour.
    MapLayer.objects.filter(pk=layer.pk).update(value_min=2.0, value_max=2.0, colormap="inferno")
    x, y = lonlat_to_tile(127.7, 26.2, 12)
    response = client.get(reverse("tile", args=[layer.pk, layer.version, 12, x, y]))
    expected = cmap.get("inferno")[127][:3]
    assert _median_colour(response)[:3] == pytest.approx(expected, abs=1)
    legend = client.get(reverse("api:maplayer-legend", args=[layer.pk])).json()
    (entry,) = legend["entries"]
    assert entry["colour"] == "#{:02x}{:02x}{:02x}".format(*expected)


def test_an_unpublished_layer_is_404_to_the_public(client, layer) -> None:
    MapLayer.objects.filter(pk=layer.pk).update(published=False)
    x, y = lonlat_to_tile(127.7, 26.2, 12)
    assert client.get(reverse("tile", args=[layer.pk, layer.version, 12, x, y])).status_code == 404


def test_a_tile_outside_the_layer_is_204(client, layer) -> None:
    x, y = lonlat_to_tile(0.0, 0.0, 12)
    assert client.get(reverse("tile", args=[layer.pk, layer.version, 12, x, y])).status_code == 204


def _median_colour(response) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    image = np.array(Image.open(io.BytesIO(response.content)).convert("RGBA"))
    opaque = image[image[..., 3] == 255]
    return tuple(np.median(opaque[:, :3], axis=0).astype(int))


@pytest.mark.parametrize(("band", "index"), [("p10", 0), ("p50", 127), ("p90", 255)])
def test_each_band_is_drawn_against_the_same_range(client, layer, band, index) -> None:
    x, y = lonlat_to_tile(127.7, 26.2, 12)
    response = client.get(reverse("tile", args=[layer.pk, layer.version, 12, x, y]), {"band": band})
    assert response.status_code == 200
    # 1.0 / 2.0 / 3.0 in the range 1.0–3.0 → viridis 0 / 127 / 255
    assert _median_colour(response) == pytest.approx(cmap.get("viridis")[index][:3], abs=1)
    assert band in response["ETag"]


def test_an_unknown_band_or_tile_is_404(client, layer) -> None:
    x, y = lonlat_to_tile(127.7, 26.2, 12)
    url = reverse("tile", args=[layer.pk, layer.version, 12, x, y])
    assert client.get(url, {"band": "p99"}).status_code == 404
    assert (
        client.get(reverse("tile", args=[layer.pk, layer.version, 2, 4, 0])).status_code == 404
    )  # x ≥ 2^z


def test_a_rendered_tile_is_cached_in_redis_and_revalidated_by_etag(client, layer) -> None:
    from django.core.cache import cache

    from potential_map.tiles import _cache_key

    x, y = lonlat_to_tile(127.7, 26.2, 12)
    url = reverse("tile", args=[layer.pk, layer.version, 12, x, y])
    key = _cache_key(layer, 1, 12, x, y)
    cache.delete(key)
    first = client.get(url)
    assert cache.get(key) == first.content  # the PNG is in Redis now
    assert client.get(url).content == first.content
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_the_cache_never_serves_an_unpublished_tile_to_the_public(client, layer, personas) -> None:
    MapLayer.objects.filter(pk=layer.pk).update(published=False)
    x, y = lonlat_to_tile(127.7, 26.2, 12)
    url = reverse("tile", args=[layer.pk, layer.version, 12, x, y])
    client.force_login(personas["admin"])
    seen = client.get(url)
    assert seen.status_code == 200  # rendered and cached for the admin
    assert "no-store" in seen["Cache-Control"]
    assert "ETag" not in seen
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"If-None-Match": "*"}).status_code == 404
