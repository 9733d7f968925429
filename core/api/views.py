from __future__ import annotations

import json

from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.db.models import Func, QuerySet, Value
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request

from core.api.pagination import FeatureCollectionPagination
from core.api.serializers import DistrictSerializer, JobSerializer, RegionSerializer
from core.basemap import basemap_json
from core.models import District, Job, Region

# A published region's basemap may be kept an hour by browsers and nginx; its ETag (the
# districts' fingerprint) makes a revalidation cheap.
BASEMAP_MAX_AGE_S = 3600


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

    @extend_schema(
        summary="The region's basemap: district outlines (≈ 100 m) with names and label points",
        parameters=[
            OpenApiParameter(
                "lang",
                str,
                enum=[code for code, _name in settings.LANGUAGES],
                description="Language of the names (default: the request's language)",
            )
        ],
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    @action(detail=True)
    def basemap(self, request: Request, code: str | None = None) -> HttpResponse:
        region = self.get_object()
        asked = request.query_params.get("lang")
        languages = [language for language, _name in settings.LANGUAGES]
        if asked is not None and asked not in languages:
            return HttpResponse(
                json.dumps({"detail": f"lang must be one of {', '.join(languages)}."}),
                status=400,
                content_type="application/json",
            )
        language = asked or (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        body, version = basemap_json(region, language)
        etag = f'"basemap-{version}-{language}"'
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(body, content_type="application/geo+json")
        response["ETag"] = etag
        if region.published:
            patch_cache_control(response, public=True, max_age=BASEMAP_MAX_AGE_S)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        if asked is None:
            patch_vary_headers(response, ("Accept-Language",))
        return response


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
