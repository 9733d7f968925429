"""Pages of core: the home map with its region list, and the about page."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.models import Region

# ~100 m at these latitudes: enough for outlines on an overview map, and a small page.
OVERVIEW_SIMPLIFY_DEG = 0.001
OVERVIEW_COORDINATE_DECIMALS = 4


def _outline_feature(region: Region) -> dict[str, object]:
    outline = region.boundary.simplify(OVERVIEW_SIMPLIFY_DEG, preserve_topology=True)
    geometry = json.loads(outline.geojson)
    return {
        "type": "Feature",
        "geometry": _rounded(geometry, OVERVIEW_COORDINATE_DECIMALS),
        "properties": {"code": region.code, "name": region.name},
    }


def _rounded(value: object, decimals: int) -> object:
    if isinstance(value, float):
        return round(value, decimals)
    if isinstance(value, list):
        return [_rounded(item, decimals) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item, decimals) for key, item in value.items()}
    return value


def home(request: HttpRequest) -> HttpResponse:
    """The map page: every region the visitor may see, outlined on a Leaflet map."""
    regions = list(Region.objects.visible_to(request.user).order_by("code"))
    outlines = {"type": "FeatureCollection", "features": [_outline_feature(r) for r in regions]}
    return render(
        request,
        "core/home.html",
        {"regions": regions, "outlines": outlines, "basemap_url": settings.BASEMAP_URL},
    )


def about(request: HttpRequest) -> HttpResponse:
    """What the site is, and the credits the data licences require."""
    return render(request, "core/about.html")
