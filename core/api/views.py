from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework_gis.pagination import GeoJsonPagination

from core.api.serializers import JobSerializer, RegionSerializer
from core.models import Job, Region


class RegionPagination(GeoJsonPagination):
    page_size = 50
    max_page_size = 200  # GeoJsonPagination accepts ?page_size= with no ceiling by default
    page_size_query_param = "page_size"


@extend_schema_view(
    list=extend_schema(summary="Regions the caller may see, as a GeoJSON FeatureCollection"),
    retrieve=extend_schema(summary="One region as a GeoJSON Feature"),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet[Region]):
    serializer_class = RegionSerializer
    pagination_class = RegionPagination
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Region]:
        return Region.objects.visible_to(self.request.user).order_by("code")


@extend_schema_view(
    list=extend_schema(summary="Jobs the caller started or may follow (their regions')"),
    retrieve=extend_schema(summary="One job: state, progress 0–1, message and log"),
)
class JobViewSet(viewsets.ReadOnlyModelViewSet[Job]):
    serializer_class = JobSerializer
    permission_classes = (permissions.IsAuthenticated,)
    filterset_fields = ("state", "kind", "region__code")

    def get_queryset(self) -> QuerySet[Job]:
        return Job.objects.visible_to(self.request.user).select_related("region").order_by("-pk")
