from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action, api_view, parser_classes, throttle_classes
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rio_tiler.colormap import cmap

from core.models import Region
from core.throttling import throttles
from potential_map.api.serializers import MapLayerSerializer
from potential_map.models import MapLayer
from potential_map.services import PARCEL_MAX_AREA_M2, parcel_summary, point_provenance
from potential_map.tiles import TRAFFIC_LIGHT

LEGEND_STEPS = 5


def _hex(rgba: tuple[int, ...]) -> str:
    red, green, blue = rgba[:3]
    return f"#{red:02x}{green:02x}{blue:02x}"


@extend_schema_view(
    list=extend_schema(summary="Current map layers the caller may see, with their definitions"),
    retrieve=extend_schema(summary="One map layer: units, definition, method and version"),
)
class MapLayerViewSet(viewsets.ReadOnlyModelViewSet[MapLayer]):
    serializer_class = MapLayerSerializer
    filterset_fields = ("region__code", "kind")

    def get_queryset(self) -> QuerySet[MapLayer]:
        return (
            MapLayer.objects.visible_to(self.request.user)
            .filter(is_current=True)
            .with_public_flag()
            .select_related("region")
            .order_by("region__code", "kind")
        )

    @extend_schema(
        summary="Legend: colours, breaks, units and the layer's definition",
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True)
    def legend(self, request: Request, pk: str | None = None) -> Response:
        layer = self.get_object()
        if layer.colormap == "traffic_light":
            entries = [
                {
                    "value": value,
                    "colour": _hex(rgba),
                    "label": layer.definition.get("classes", {}).get(str(int(value)), ""),
                }
                for value, rgba in TRAFFIC_LIGHT.items()
            ]
        else:
            colours = cmap.get(layer.colormap)
            low = layer.value_min or 0.0
            high = layer.value_max if layer.value_max is not None else low
            entries = [
                {"value": float(v), "colour": _hex(colours[int(i)])}
                for v, i in zip(
                    np.linspace(low, high, LEGEND_STEPS),
                    np.linspace(0, 255, LEGEND_STEPS),
                    strict=True,
                )
            ]
        return Response(
            {
                "layer": layer.pk,
                "kind": layer.kind,
                "units": layer.units,
                "definition": layer.definition,
                "entries": entries,
            }
        )

    @extend_schema(
        summary="The layer's Cloud-Optimized GeoTIFF (public layers only: published, current, "
        "of a published region and made of published inputs)",
        responses={(200, "image/tiff"): OpenApiTypes.BINARY},
    )
    @action(detail=True)
    def cog(self, request: Request, pk: str | None = None) -> FileResponse:
        layer = self.get_object()
        if not layer.is_public or not Path(layer.cog_path).is_file():
            raise Http404
        return FileResponse(
            open(layer.cog_path, "rb"),
            as_attachment=True,
            filename=f"{layer.region.code}-{layer.kind}-v{layer.version}.tif",
            content_type="image/tiff",
        )


@extend_schema(
    summary="Every layer's value at a point, with P10/P50/P90, units, definition and provenance",
    parameters=[
        OpenApiParameter("lat", float, required=True, description="WGS84 latitude"),
        OpenApiParameter("lon", float, required=True, description="WGS84 longitude"),
    ],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
@throttle_classes(throttles("point"))
def point(request: Request) -> Response:
    try:
        lat, lon = float(request.query_params["lat"]), float(request.query_params["lon"])
    except (KeyError, ValueError):
        return Response({"error": "Give lat and lon in degrees (WGS84)."}, status=400)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return Response({"error": "lat must be within ±90 and lon within ±180."}, status=400)
    from django.contrib.gis.geos import Point

    here = Point(lon, lat, srid=4326)
    region = Region.objects.visible_to(request.user).filter(boundary__intersects=here).first()
    if region is None:
        return Response({"error": "This point is outside every region."}, status=404)
    return Response(point_provenance(region, lon, lat, request.user).as_dict())


PARCEL_MAX_VERTICES = 5000


def _parcel_geometry(body: object) -> tuple[object | None, str | None]:
    """A GEOS (multi)polygon in WGS84 from a GeoJSON geometry, Feature or one-feature
    FeatureCollection; or the reason it is not one."""
    from django.contrib.gis.geos import GEOSException, GEOSGeometry

    if isinstance(body, dict) and body.get("type") == "FeatureCollection":
        features = body.get("features") or []
        if len(features) != 1:
            return None, "Send one parcel: a FeatureCollection with exactly one feature."
        body = features[0]
    if isinstance(body, dict) and body.get("type") == "Feature":
        body = body.get("geometry")
    if not isinstance(body, dict) or body.get("type") not in ("Polygon", "MultiPolygon"):
        return None, "The parcel must be a GeoJSON Polygon or MultiPolygon (WGS84 lon, lat)."
    try:
        geometry = GEOSGeometry(json.dumps(body), srid=4326)
    except (GEOSException, ValueError, TypeError):
        return None, "The parcel's GeoJSON could not be read as a polygon."
    if geometry.num_coords > PARCEL_MAX_VERTICES:
        return None, f"The parcel has more than {PARCEL_MAX_VERTICES} vertices."
    west, south, east, north = geometry.extent
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None, "The parcel's coordinates must be lon within ±180 and lat within ±90."
    if not geometry.valid:
        return None, f"The parcel is not a valid polygon: {geometry.valid_reason}."
    return geometry, None


@extend_schema(
    summary="Every layer over a parcel: mean, min and max of P10/P50/P90, the strictest "
    "constraint, and the point answer (with provenance) at the parcel's inside point",
    request=OpenApiTypes.OBJECT,
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
)
@api_view(["POST"])
@parser_classes([JSONParser])
@throttle_classes(throttles("point"))
def parcel(request: Request) -> Response:
    geometry, problem = _parcel_geometry(request.data)
    if problem:
        return Response({"error": problem}, status=400)
    inside = geometry.point_on_surface  # type: ignore[attr-defined]
    region = Region.objects.visible_to(request.user).filter(boundary__intersects=inside).first()
    if region is None:
        return Response({"error": "This parcel is outside every region."}, status=404)
    from potential_map import rasters

    area = rasters.to_metric(bytes(geometry.wkb), region.raster_crs_epsg).area  # type: ignore[attr-defined]
    if area > PARCEL_MAX_AREA_M2:
        return Response(
            {"error": f"The parcel is larger than {PARCEL_MAX_AREA_M2 / 1e6:g} km²."}, status=400
        )
    return Response(parcel_summary(region, geometry, request.user).as_dict())
