"""GET /api/search?q=: places, boreholes, systems and coordinates, best first."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from search import services


@extend_schema(
    summary="Find a place: names in en/ja/ru/tg or Latin transliteration, borehole codes, "
    "monitored systems, coordinates (decimal or degrees-minutes-seconds)",
    parameters=[
        OpenApiParameter(
            "q",
            str,
            required=True,
            description="e.g. Maebashi, 前橋, Маебаси, YOS-T1, 36.39 139.06, 36°23′22″N 139°3′48″E",
        )
    ],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def search(request: Request) -> Response:
    query = request.query_params.get("q")
    try:
        results = services.search(query or "", request.user)
    except services.SearchError as problem:
        return Response({"detail": str(problem), "field": "q"}, status=400)
    # The query is not echoed back: the caller has it, and an answer must carry only what the
    # caller may see.
    return Response({"results": [result.as_json() for result in results]})
