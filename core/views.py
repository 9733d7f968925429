"""Pages of core: the home map with its region list, the help page and the about page."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.lib.units import m2_to_km2
from core.models import Region

# ~100 m at these latitudes: enough for outlines on an overview map, and a small page.
OVERVIEW_SIMPLIFY_DEG = 0.001
OVERVIEW_COORDINATE_DECIMALS = 4


def _outline_feature(region: Region) -> dict[str, object]:
    outline = region.boundary.simplify(OVERVIEW_SIMPLIFY_DEG, preserve_topology=True)
    geometry = json.loads(outline.geojson)
    inside = region.boundary.point_on_surface
    return {
        "type": "Feature",
        "geometry": _rounded(geometry, OVERVIEW_COORDINATE_DECIMALS),
        "properties": {
            "code": region.code,
            "name": region.name,
            "label": _rounded([inside.x, inside.y], OVERVIEW_COORDINATE_DECIMALS),
        },
    }


def _map_config() -> dict[str, object]:
    """What home.js needs to make the map: the operator's basemap, if any, and the view."""
    leaflet = settings.LEAFLET_CONFIG
    return {
        "basemap_url": settings.BASEMAP_URL,
        "basemap_attribution": settings.BASEMAP_ATTRIBUTION,
        "attribution_prefix": leaflet.get("ATTRIBUTION_PREFIX", ""),
        "center": list(leaflet.get("DEFAULT_CENTER", (30.0, 100.0))),
        "zoom": leaflet.get("DEFAULT_ZOOM", 3),
        "min_zoom": leaflet.get("MIN_ZOOM", 2),
        "max_zoom": leaflet.get("MAX_ZOOM", 18),
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
    """The map page: every region the visitor may see, outlined on a Leaflet map, with its
    area in km² (localised by the template's floatformat "g")."""
    regions = list(Region.objects.visible_to(request.user).order_by("code"))
    for region in regions:  # areas in km², converted at the edge
        region.area_km2 = None if region.area_m2 is None else float(m2_to_km2(region.area_m2))
    outlines = {"type": "FeatureCollection", "features": [_outline_feature(r) for r in regions]}
    return render(
        request,
        "core/home.html",
        {"regions": regions, "outlines": outlines, "map_config": _map_config()},
    )


def about(request: HttpRequest) -> HttpResponse:
    """What the site is, and the credits the data licences require."""
    return render(request, "core/about.html")


def help_page(request: HttpRequest) -> HttpResponse:
    """Answers for each persona: W/m, G.POT against VDI 4640, P10/P50/P90, the constraint
    colours, and how an upload becomes a map."""
    return render(request, "core/help.html")
