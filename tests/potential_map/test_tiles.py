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
from potential_map import rasters
from potential_map.models import MapLayer
from tests.factories import RegionFactory, square


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
    grid = rasters.region_grid(bytes(region.boundary.wkb), 32652, 500.0)
    path = tmp_path / "constant.tif"
    rasters.write_cog(path, [grid.full(np.full(int(grid.inside.sum()), 2.0))], grid, ("p50",))
    return MapLayer.objects.create(
        region=region,
        kind="conductivity",
        version=1,
        is_current=True,
        published=True,
        units="W/(m·K)",
        method="test",
        bands=["p50"],
        cog_path=str(path),
        value_min=1.0,
        value_max=3.0,
        colormap="viridis",
        crs_epsg=32652,
        resolution_m=500.0,
        width=grid.width,
        height=grid.height,
        job=Job.objects.create(kind="recompute"),
    )


def test_a_pixel_has_the_colour_of_its_value(client, layer) -> None:
    x, y = lonlat_to_tile(127.7, 26.2, 12)
    response = client.get(reverse("tile", args=[layer.pk, 12, x, y]))
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


def test_an_unpublished_layer_is_404_to_the_public(client, layer) -> None:
    MapLayer.objects.filter(pk=layer.pk).update(published=False)
    x, y = lonlat_to_tile(127.7, 26.2, 12)
    assert client.get(reverse("tile", args=[layer.pk, 12, x, y])).status_code == 404


def test_a_tile_outside_the_layer_is_204(client, layer) -> None:
    x, y = lonlat_to_tile(0.0, 0.0, 12)
    assert client.get(reverse("tile", args=[layer.pk, 12, x, y])).status_code == 204
