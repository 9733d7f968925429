from __future__ import annotations

from django.contrib.gis.db.models import GeometryField
from django.db.models import Func, QuerySet, Value
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from core.api.pagination import FeatureCollectionPagination
from core.api.serializers import DistrictSerializer, JobSerializer, RegionSerializer
from core.models import District, Job, Region


class RegionPagination(FeatureCollectionPagination):
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


# ≈ 50 m at these latitudes: outlines stay recognisable at the zooms a district is seen at.
DISTRICT_SIMPLIFY_DEG = 0.0005


@extend_schema_view(
    list=extend_schema(summary="District outlines (simplified) of the regions the caller may see"),
    retrieve=extend_schema(summary="One district's outline"),
)
class DistrictViewSet(viewsets.ReadOnlyModelViewSet[District]):
    serializer_class = DistrictSerializer
    pagination_class = RegionPagination
    filterset_fields = ("region__code",)

    def get_queryset(self) -> QuerySet[District]:
        # A district is as visible as its region.
        return (
            District.objects.visible_to(self.request.user)
            .select_related("region")
            .annotate(
                outline=Func(
                    "geometry",
                    Value(DISTRICT_SIMPLIFY_DEG),
                    function="ST_SimplifyPreserveTopology",
                    output_field=GeometryField(srid=4326),
                )
            )
            .defer("geometry")
            .order_by("region__code", "code")
        )
