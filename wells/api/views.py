from __future__ import annotations

from django.contrib.gis.db.models import Collect
from django.contrib.gis.db.models.functions import Centroid, SnapToGrid
from django.db.models import Count, Min, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.filters import BoundedInBBoxFilter
from core.api.pagination import FeatureCollectionPagination
from wells.api.serializers import RECORD_SECTIONS, BoreholeSerializer
from wells.models import Borehole


class BoreholePagination(FeatureCollectionPagination):
    page_size = 500
    max_page_size = 2000  # GeoJsonPagination accepts ?page_size= with no ceiling by default
    page_size_query_param = "page_size"


@extend_schema_view(
    list=extend_schema(summary="Boreholes as a GeoJSON FeatureCollection, filtered by ?in_bbox="),
    retrieve=extend_schema(summary="One borehole as a GeoJSON Feature"),
)
class BoreholeViewSet(viewsets.ReadOnlyModelViewSet[Borehole]):
    serializer_class = BoreholeSerializer
    pagination_class = BoreholePagination
    filter_backends = (BoundedInBBoxFilter, *viewsets.ReadOnlyModelViewSet.filter_backends)
    bbox_filter_field = "location"
    filterset_fields = ("region__code", "purpose")

    def get_queryset(self) -> QuerySet[Borehole]:
        return (
            Borehole.objects.visible_to(self.request.user)
            .select_related("region")
            .order_by("region__code", "code")
        )

    @extend_schema(
        summary="A borehole's full record: column, intervals, levels, temperature logs, "
        "chemistry, thermal response and pumping tests, flow readings (SI units)",
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True)
    def record(self, request: Request, pk: str | None = None) -> Response:
        borehole = self.get_object()
        body: dict[str, object] = {"borehole": BoreholeSerializer(borehole).data}
        for section, (related_name, serializer) in RECORD_SECTIONS.items():
            # Each child row has its own publication flag: the same rule again.
            rows = getattr(borehole, related_name).visible_to(request.user)
            body[section] = serializer(rows, many=True).data
        return Response(body)

    @extend_schema(
        summary="Boreholes counted on a grid for a zoom level: one feature per occupied cell, "
        "with the count (a light marker layer for slow lines)",
        parameters=[
            OpenApiParameter("zoom", int, description="web map zoom level 0–20", required=True),
            OpenApiParameter("in_bbox", str, description="west,south,east,north in degrees"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    @action(detail=False)
    def clusters(self, request: Request) -> Response:
        try:
            zoom = int(request.query_params["zoom"])
        except (KeyError, ValueError):
            return Response({"error": "Give zoom as a whole number 0–20."}, status=400)
        if not 0 <= zoom <= MAX_CLUSTER_ZOOM:
            return Response({"error": "zoom must be 0–20."}, status=400)
        visible = self.filter_queryset(self.get_queryset()).exclude(location=None)
        cell_deg = 360 / 2**zoom / CLUSTERS_PER_TILE
        cells = (
            Borehole.objects.filter(pk__in=visible.values("pk"))
            .annotate(cell=SnapToGrid("location", cell_deg))
            .values("cell")
            .annotate(
                count=Count("id"),
                centre=Centroid(Collect("location")),
                first_id=Min("id"),
                first_code=Min("code"),
                first_region=Min("region__code"),
            )
            .order_by()
        )
        features = []
        for cell in cells:
            single = cell["count"] == 1
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(cell["centre"].x, 5), round(cell["centre"].y, 5)],
                    },
                    "properties": {
                        "count": cell["count"],
                        "id": cell["first_id"] if single else None,
                        "code": cell["first_code"] if single else None,
                        "region": cell["first_region"] if single else None,
                    },
                }
            )
        return Response({"type": "FeatureCollection", "zoom": zoom, "features": features})


MAX_CLUSTER_ZOOM = 20
CLUSTERS_PER_TILE = 4  # a cluster cell is a quarter of a 256 px tile: 64 px
