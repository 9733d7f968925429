"""XYZ PNG tiles of map layers, rendered from the layer's COG and gated by visible_to().

rio-tiler does the tile maths, resampling, nodata mask, colour map and PNG; the view does the
permission check and cache headers (STYLE.md §4.6).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from rio_tiler.colormap import cmap
from rio_tiler.errors import TileOutsideBounds
from rio_tiler.io import Reader

from potential_map.models import MapLayer

PUBLISHED_TILE_MAX_AGE_S = 24 * 3600  # safe: a new version is a new layer id
TILE_SIZE = 256
# The constraint layer's classes: green 0, yellow 1, red 2 (colour-blind safe hues).
TRAFFIC_LIGHT = {0: (26, 152, 80, 255), 1: (254, 224, 139, 255), 2: (215, 48, 39, 255)}


def tile(request: HttpRequest, layer_id: int, z: int, x: int, y: int) -> HttpResponse:
    """The P50 band of a layer as a 256 px PNG tile; 204 outside the layer."""
    # 404, not 403: an unpublished layer must not even be seen to exist.
    layer = get_object_or_404(MapLayer.objects.visible_to(request.user), pk=layer_id)
    try:
        with Reader(layer.cog_path) as cog:
            image = cog.tile(x, y, z, tilesize=TILE_SIZE, indexes=(1,))
    except TileOutsideBounds:
        return HttpResponse(status=204)
    if layer.colormap == "traffic_light":
        png = image.render(img_format="PNG", colormap=TRAFFIC_LIGHT)
    else:
        low = layer.value_min if layer.value_min is not None else 0.0
        high = layer.value_max if layer.value_max is not None and layer.value_max > low else low + 1
        image.rescale(in_range=((low, high),))
        png = image.render(img_format="PNG", colormap=cmap.get(layer.colormap))
    response = HttpResponse(png, content_type="image/png")
    if layer.published:
        patch_cache_control(response, public=True, max_age=PUBLISHED_TILE_MAX_AGE_S)
        response["ETag"] = f'"layer-{layer.pk}-v{layer.version}-{z}-{x}-{y}"'
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
