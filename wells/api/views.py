from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework_gis.filters import InBBoxFilter
from rest_framework_gis.pagination import GeoJsonPagination

from core.models import ImportBatch
from wells.api.serializers import BoreholeSerializer, ImportBatchSerializer
from wells.models import Borehole


class BoreholePagination(GeoJsonPagination):
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
    filter_backends = (InBBoxFilter, *viewsets.ReadOnlyModelViewSet.filter_backends)
    bbox_filter_field = "location"
    filterset_fields = ("region__code", "purpose")

    def get_queryset(self) -> QuerySet[Borehole]:
        return (
            Borehole.objects.visible_to(self.request.user)
            .select_related("region")
            .order_by("region__code", "code")
        )


@extend_schema_view(
    list=extend_schema(summary="Import batches of the regions the caller stewards"),
    retrieve=extend_schema(summary="One import batch with its errors and warnings"),
)
class ImportBatchViewSet(viewsets.ReadOnlyModelViewSet[ImportBatch]):
    serializer_class = ImportBatchSerializer
    permission_classes = (permissions.IsAuthenticated,)
    filterset_fields = ("state", "kind", "region__code")

    def get_queryset(self) -> QuerySet[ImportBatch]:
        return (
            ImportBatch.objects.visible_to(self.request.user)
            .select_related("region", "uploaded_by")
            .order_by("-pk")
        )
