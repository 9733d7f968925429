"""Design estimates over JSON: POST the point, parcel and inputs (SI units); GET by token."""

from __future__ import annotations

from django.contrib.gis.geos import MultiPolygon, Point
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, throttle_classes
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import validated
from core.jobs import waiting_message
from core.throttling import throttles
from estimates import services
from estimates.api.serializers import EstimateRequestSerializer
from estimates.models import Estimate
from estimates.views import visible_estimate


def _body(estimate: Estimate) -> dict:
    return {
        "token": str(estimate.token),
        "state": estimate.state,
        "message": estimate.message or waiting_message(estimate.job),
        "progress": estimate.job.progress if estimate.job else None,
        "region": estimate.region.code,
        "method_version": estimate.method_version,
        "result": estimate.result if estimate.state == Estimate.State.DONE else None,
    }


@extend_schema(
    summary="A design estimate at a point or parcel: sizing, energy, cost, payback and CO2 "
    "with P10/P50/P90 (200 when answered now, 202 when a worker computes it)",
    request=EstimateRequestSerializer,
    responses={200: OpenApiTypes.OBJECT, 202: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
)
@api_view(["POST"])
@throttle_classes(throttles("estimate"))
def create(request: Request) -> Response:
    data = validated(EstimateRequestSerializer, request.data)
    point = Point(data["lon"], data["lat"], srid=4326)
    parcel = data.get("parcel")
    if parcel is not None and not isinstance(parcel, MultiPolygon):
        parcel = MultiPolygon(parcel, srid=4326)
    try:
        estimate = services.request_estimate(
            point, parcel, data["inputs"], request.user, get_language() or "en"
        )
    except services.Refused as exc:
        return Response({"error": str(exc)}, status=400)
    status = 200 if estimate.state in (Estimate.State.DONE, Estimate.State.REFUSED) else 202
    return Response(_body(estimate), status=status)


@extend_schema(summary="One design estimate by its token", responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def detail(request: Request, token: str) -> Response:
    return Response(_body(visible_estimate(request, token)))
