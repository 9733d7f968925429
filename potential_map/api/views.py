from __future__ import annotations

from pathlib import Path

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view, throttle_classes
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import validated
from core.models import Region
from core.throttling import throttles
from potential_map import presentation
from potential_map.api.serializers import (  # noqa: F401  (_parcel_geometry: estimates uses it)
    PARCEL_MAX_VERTICES,
    MapLayerSerializer,
    ParcelField,
    PointQuerySerializer,
    _parcel_geometry,
)
from potential_map.models import MapLayer
from potential_map.services import parcel_summary, point_provenance


class ParcelBodySerializer(serializers.Serializer):
    parcel = ParcelField()


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
        summary="Legend: round values in display units (°C, kW, m³/h) with their colours, "
        "the layer's definition as a sentence in the caller's language and as stored",
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True)
    def legend(self, request: Request, pk: str | None = None) -> Response:
        return Response(presentation.legend(self.get_object()))

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
    query = validated(PointQuerySerializer, request.query_params)
    lat, lon = query["lat"], query["lon"]
    from django.contrib.gis.geos import Point

    here = Point(lon, lat, srid=4326)
    region = Region.objects.visible_to(request.user).filter(boundary__intersects=here).first()
    if region is None:
        return Response({"error": "This point is outside every region."}, status=404)
    answer = presentation.add_display(point_provenance(region, lon, lat, request.user).as_dict())
    answer["region_name"] = region.name
    return Response(answer)


@extend_schema(
    summary="Every layer over a parcel: mean, min and max of P10/P50/P90, the strictest "
    "constraint, and the point answer (with provenance) at the parcel's inside point",
    request=OpenApiTypes.OBJECT,
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
)
@api_view(["POST"])
@throttle_classes(throttles("point"))
def parcel(request: Request) -> Response:
    geometry = validated(ParcelBodySerializer, {"parcel": request.data})["parcel"]
    inside = geometry.point_on_surface  # type: ignore[attr-defined]
    region = Region.objects.visible_to(request.user).filter(boundary__intersects=inside).first()
    if region is None:
        return Response({"error": "This parcel is outside every region."}, status=404)
    return Response(parcel_summary(region, geometry, request.user).as_dict())
