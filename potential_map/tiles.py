"""XYZ PNG tiles of map layers, rendered from the layer's COG and gated by visible_to().

rio-tiler does the tile maths, resampling, nodata mask, colour map and PNG; the view does the
permission check, the band choice (?band=p10|p50|p90), the Redis cache of rendered tiles and
the HTTP cache headers (STYLE.md §4.6).

A tile URL names the layer and its version (/tiles/<layer>/<version>/z/x/y.png). The gate
answers 404 to the public for a layer that is not public: unpublished, superseded by a newer
version, of an unpublished region, or made of an input batch withdrawn or rolled back since.
Caches in front can therefore only ever hold what was public, and they hold it briefly: the
browser and nginx revalidate a public tile after PUBLIC_TILE_MAX_AGE_S (a 304 while it is
still public, a 404 once it is not), and the Redis copies of a layer's rendered tiles are
purged when it stops being public (`purge`, called on supersession and withdrawal).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from rio_tiler.colormap import cmap
from rio_tiler.errors import TileOutsideBounds
from rio_tiler.io import Reader

from potential_map import rasters
from potential_map.models import MapLayer

logger = logging.getLogger(__name__)

# How long a browser, and nginx in front (X-Accel-Expires, docker/nginx.conf), keep a public
# tile before asking again: the longest a withdrawn map can still be shown by a cache. The
# answer to the question is a 304 without a body while the layer is public (ETag).
PUBLIC_TILE_MAX_AGE_S = 60
TILE_CACHE_TTL_S = 7 * 24 * 3600
TILE_SIZE = 256
MAX_ZOOM = 20
# Bumped when render() draws the same file differently (2: constant layers mid-colour), so
# no tile drawn the old way is served from the cache.
RENDER_VERSION = 2
CONSTANT_HALF_RANGE = 0.5  # in the layer's units: any width puts the constant mid-range
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
    high = layer.value_max if layer.value_max is not None else low
    if high <= low:  # a constant layer takes the middle colour, not the map's black end
        low, high = low - CONSTANT_HALF_RANGE, low + CONSTANT_HALF_RANGE
    image.rescale(in_range=((low, high),))
    return image.render(img_format="PNG", colormap=cmap.get(layer.colormap))


def _file_digest(cog_path: str) -> str:
    """A layer's part of its tiles' cache keys: its COG file (one path per layer version)."""
    return hashlib.blake2b(cog_path.encode(), digest_size=12).hexdigest()


def tiles_over(extent: tuple[float, float, float, float], z: int) -> list[tuple[int, int]]:
    """The (x, y) web-mercator tiles at zoom z that cover a lon/lat extent."""
    import math

    west, south, east, north = extent
    n = 2**z

    def column(lon: float) -> int:
        return min(n - 1, max(0, int((lon + 180.0) / 360.0 * n)))

    def row(lat: float) -> int:
        lat = max(-85.0511, min(85.0511, lat))
        y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
        return min(n - 1, max(0, int(y)))

    return [
        (x, y)
        for x in range(column(west), column(east) + 1)
        for y in range(row(north), row(south) + 1)
    ]


def warm(layer: MapLayer, max_zoom: int) -> int:
    """Render and cache every tile of every band of `layer` up to `max_zoom` (the low zooms
    a first visitor sees, and the slowest to render from a whole region's COG). Returns how
    many tiles were rendered; none with the cache down (nothing to keep them in)."""
    if layer.extent is None:
        return 0
    rendered = 0
    for z in range(max_zoom + 1):
        for x, y in tiles_over(layer.extent.extent, z):
            for band in range(1, len(layer.bands or ["p50"]) + 1):
                key = _cache_key(layer, band, z, x, y)
                if cache.get(key) is None:
                    cache.set(key, render(layer, band, z, x, y), TILE_CACHE_TTL_S)
                    rendered += 1
    return rendered


def _cache_key(layer: MapLayer, band: int, z: int, x: int, y: int) -> str:
    """Keyed on the COG file itself (its path is unique per layer version, its mtime guards a
    rewrite), so a key can never serve another layer's tile, even across databases; the path's
    digest comes first, so `purge` finds every tile of a layer."""
    stamp = os.stat(layer.cog_path).st_mtime_ns
    return f"tile:{_file_digest(layer.cog_path)}:{stamp}:{RENDER_VERSION}:{band}:{z}:{x}:{y}"


def purge(layers: Iterable[MapLayer]) -> int:
    """Delete the rendered tiles of `layers` from the cache; how many were deleted.

    Called when layers stop being public (superseded by a recompute, an input batch withdrawn
    or rolled back, their region unpublished): the view would not serve them any more, and they
    must not outlive the layer in Redis either. One SCAN of the tile keys for all the layers.
    """
    digests = {_file_digest(layer.cog_path) for layer in layers}
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    if not digests or client_of is None:  # not Redis (a development cache): nothing kept long
        return 0
    client = client_of(None, write=True)  # Django's RedisCache: the redis-py client
    prefix = cache.make_key("tile:")
    doomed = [
        key
        for key in client.scan_iter(match=f"{prefix}*", count=1000)
        if key.decode().removeprefix(prefix).split(":", 1)[0] in digests
    ]
    deleted = 0
    for start in range(0, len(doomed), 1000):
        deleted += int(client.delete(*doomed[start : start + 1000]))
    logger.info("purged %s cached tiles of %s layers", deleted, len(digests))
    return deleted


def tile(request: HttpRequest, layer_id: int, version: int, z: int, x: int, y: int) -> HttpResponse:
    """One band of a layer's version (P50 unless ?band= names another) as a 256 px PNG; 204
    outside the layer."""
    # 404, not 403: a layer the caller may not see must not even be seen to exist.
    layer = get_object_or_404(
        MapLayer.objects.visible_to(request.user).with_public_flag(),
        pk=layer_id,
        version=version,
    )
    band_name = request.GET.get("band", layer.bands[0] if layer.bands else "p50")
    if band_name not in layer.bands or z > MAX_ZOOM or not (0 <= x < 2**z and 0 <= y < 2**z):
        return HttpResponse(status=404)
    band = layer.bands.index(band_name) + 1
    etag = f'"layer-{layer.pk}-v{layer.version}-{band_name}-{z}-{x}-{y}"'
    if layer.is_public and request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
        _public_cache_headers(response, etag)
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
    if layer.is_public:
        _public_cache_headers(response, etag)
    else:  # a steward's or an admin's view of what the public does not see: kept nowhere
        patch_cache_control(response, private=True, no_store=True)
    return response


def _public_cache_headers(response: HttpResponse, etag: str) -> None:
    patch_cache_control(response, public=True, max_age=PUBLIC_TILE_MAX_AGE_S)
    response["ETag"] = etag
    # nginx's own cache time (it honours this header first and never passes it on).
    response["X-Accel-Expires"] = str(PUBLIC_TILE_MAX_AGE_S)
