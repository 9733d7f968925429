"""XYZ PNG tiles of map layers, rendered from the layer's COG and gated by visible_to().

rio-tiler does the tile maths, resampling, nodata mask, colour map and PNG; the view does the
permission check, the band choice (?band=p10|p50|p90), the Redis cache of rendered tiles and
the HTTP cache headers (STYLE.md §4.6).
"""

from __future__ import annotations

import hashlib
import os

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from rio_tiler.colormap import cmap
from rio_tiler.errors import TileOutsideBounds
from rio_tiler.io import Reader

from potential_map import rasters
from potential_map.models import MapLayer

PUBLISHED_TILE_MAX_AGE_S = 24 * 3600  # safe: a new version is a new layer id
TILE_CACHE_TTL_S = 7 * 24 * 3600
TILE_SIZE = 256
MAX_ZOOM = 20
EMPTY = b""  # cached marker of a tile outside the layer (204)
# The constraint layer's classes: green 0, yellow 1, red 2 (colour-blind safe hues).
TRAFFIC_LIGHT = {0: (26, 152, 80, 255), 1: (254, 224, 139, 255), 2: (215, 48, 39, 255)}


def render(layer: MapLayer, band: int, z: int, x: int, y: int) -> bytes:
    """The PNG of one band of a layer at z/x/y; EMPTY outside the layer."""
    try:
        with Reader(layer.cog_path, dataset=rasters.open_shared(layer.cog_path)) as cog:
            image = cog.tile(x, y, z, tilesize=TILE_SIZE, indexes=(band,))
    except TileOutsideBounds:
        return EMPTY
    if layer.colormap == "traffic_light":
        return image.render(img_format="PNG", colormap=TRAFFIC_LIGHT)
    # One value range for every band, so P10, P50 and P90 read against the same legend.
    low = layer.value_min if layer.value_min is not None else 0.0
    high = layer.value_max if layer.value_max is not None and layer.value_max > low else low + 1
    image.rescale(in_range=((low, high),))
    return image.render(img_format="PNG", colormap=cmap.get(layer.colormap))


def _cache_key(layer: MapLayer, band: int, z: int, x: int, y: int) -> str:
    """Keyed on the COG file itself (its path is unique per layer version, its mtime guards a
    rewrite), so a key can never serve another layer's tile, even across databases."""
    stamp = os.stat(layer.cog_path).st_mtime_ns
    digest = hashlib.blake2b(f"{layer.cog_path}:{stamp}".encode(), digest_size=12).hexdigest()
    return f"tile:{digest}:{band}:{z}:{x}:{y}"


def tile(request: HttpRequest, layer_id: int, z: int, x: int, y: int) -> HttpResponse:
    """One band of a layer (P50 unless ?band= names another) as a 256 px PNG; 204 outside."""
    # 404, not 403: an unpublished layer must not even be seen to exist.
    layer = get_object_or_404(MapLayer.objects.visible_to(request.user), pk=layer_id)
    band_name = request.GET.get("band", layer.bands[0] if layer.bands else "p50")
    if band_name not in layer.bands or z > MAX_ZOOM or not (0 <= x < 2**z and 0 <= y < 2**z):
        return HttpResponse(status=404)
    band = layer.bands.index(band_name) + 1
    etag = f'"layer-{layer.pk}-v{layer.version}-{band_name}-{z}-{x}-{y}"'
    if layer.published and request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    try:
        key = _cache_key(layer, band, z, x, y)
    except FileNotFoundError:
        return HttpResponse(status=404)
    png = cache.get(key)
    if png is None:
        png = render(layer, band, z, x, y)
        cache.set(key, png, TILE_CACHE_TTL_S)
    response = HttpResponse(status=204) if png == EMPTY else HttpResponse(png, "image/png")
    if layer.published:
        patch_cache_control(response, public=True, max_age=PUBLISHED_TILE_MAX_AGE_S)
        response["ETag"] = etag
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
