"""Field-test sites for the map: a borehole with a TRT or a pumping test, and its results."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import validated
from core.api.serializers import RegionQuerySerializer
from field_tests.models import AnalysisKind, FieldTestAnalysis

SITE_KINDS = (AnalysisKind.TRT, AnalysisKind.STEP_TEST, AnalysisKind.CONSTANT_RATE)
SUMMARY_FIELDS = {
    AnalysisKind.TRT: "conductivity_w_per_m_k",
    AnalysisKind.STEP_TEST: "sustainable_rate_m3_per_s",
    AnalysisKind.CONSTANT_RATE: "transmissivity_m2_per_s",
}


@extend_schema(
    summary="Sites of thermal response and pumping tests, with their current results (GeoJSON)",
    parameters=[OpenApiParameter("region", str, description="region code")],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def sites(request: Request) -> Response:
    analyses = (
        FieldTestAnalysis.objects.visible_to(request.user)
        .filter(is_current=True, kind__in=SITE_KINDS, borehole__location__isnull=False)
        .select_related("borehole", "region")
        .order_by("borehole__code", "kind")
    )
    if region := validated(RegionQuerySerializer, request.query_params).get("region"):
        analyses = analyses.filter(region__code=region)
    by_borehole: dict[int, dict[str, Any]] = {}
    results: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for analysis in analyses:
        borehole = analysis.borehole
        by_borehole.setdefault(
            borehole.pk,
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(borehole.location.x, 5), round(borehole.location.y, 5)],
                },
                "properties": {
                    "code": borehole.code,
                    "region": analysis.region.code,
                    "tests": results[borehole.pk],
                },
            },
        )
        field = SUMMARY_FIELDS[analysis.kind]
        results[borehole.pk].append(
            {
                "kind": analysis.kind,
                "label": str(analysis.get_kind_display()),
                "version": analysis.version,
                field: analysis.result.get(field),
            }
        )
    return Response({"type": "FeatureCollection", "features": list(by_borehole.values())})
