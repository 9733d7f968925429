"""Monitoring API: systems on the map, a plot's downsampled series, the performance tables,
and the token-authenticated append of readings (a logger posts here; no session, no CSRF)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import validated
from core.api.fields import CodeField
from core.api.serializers import RegionQuerySerializer
from ingest.errors import RowError
from monitoring import alerts, series, services
from monitoring.models import Alert, GroundSourceSystem, Severity

MAX_APPEND_READINGS = 10_000  # per request; a logger sends what it has since its last post
_SEVERITY_ORDER = [Severity.INFO, Severity.WARNING, Severity.CRITICAL]


def _visible(request: Request, system_id: int) -> GroundSourceSystem:
    return get_object_or_404(
        GroundSourceSystem.objects.visible_to(request.user).select_related("region"), pk=system_id
    )


def _recent() -> dt.datetime:
    """Alerts whose condition lasts, or ended within the alert look-back, count as open."""
    return timezone.now() - dt.timedelta(seconds=settings.MONITORING_ALERT_LOOKBACK_S)


@extend_schema(
    summary="Monitored ground-source systems with their open alerts (GeoJSON)",
    parameters=[OpenApiParameter("region", str, description="region code")],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def systems(request: Request) -> Response:
    rows = (
        GroundSourceSystem.objects.visible_to(request.user)
        .select_related("region")
        .annotate(
            open_alerts=Count(
                "alerts",
                filter=Q(alerts__ended_at__isnull=True) | Q(alerts__ended_at__gte=_recent()),
            )
        )
        .order_by("region__code", "code")
    )
    if region := validated(RegionQuerySerializer, request.query_params).get("region"):
        rows = rows.filter(region__code=region)
    worst: dict[int, str] = {}
    current = Alert.objects.filter(system__in=rows).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=_recent())
    )
    for system_id, severity in current.values_list("system_id", "severity"):
        if _SEVERITY_ORDER.index(severity) >= _SEVERITY_ORDER.index(worst.get(system_id, "info")):
            worst[system_id] = severity
    features = [
        {
            "type": "Feature",
            "id": system.pk,
            "geometry": {"type": "Point", "coordinates": [system.location.x, system.location.y]},
            "properties": {
                "code": system.code,
                "name": system.name,
                "region": system.region.code,
                "loop": system.loop,
                "open_alerts": system.open_alerts,
                "worst_severity": worst.get(system.pk),
                "url": f"/monitoring/{system.region.code}/{system.code}/",
            },
        }
        for system in rows
    ]
    return Response({"type": "FeatureCollection", "features": features})


SERIES_FIRST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)  # before any logger; after year 1
SERIES_LAST = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)


class SeriesQuerySerializer(serializers.Serializer):
    sensor = CodeField(max_length=60)
    start = serializers.DateTimeField(required=False, default_timezone=dt.UTC)
    end = serializers.DateTimeField(required=False, default_timezone=dt.UTC)
    points = serializers.IntegerField(required=False, min_value=10, max_value=5000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("start", "end"):
            if name in attrs and not SERIES_FIRST <= attrs[name] <= SERIES_LAST:
                raise serializers.ValidationError({name: [_("Give a time between 1900 and 2200.")]})
        return attrs


@extend_schema(
    summary="One sensor's series between start and end, downsampled on the server",
    parameters=[
        OpenApiParameter("sensor", str, required=True, description="sensor code"),
        OpenApiParameter("start", str, description="ISO 8601; default: a year before end"),
        OpenApiParameter("end", str, description="ISO 8601; default: the last reading"),
        OpenApiParameter("points", int, description="at most this many buckets (≤ 5000)"),
    ],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def sensor_series(request: Request, system_id: int) -> Response:
    system = _visible(request, system_id)
    query = validated(SeriesQuerySerializer, request.query_params)
    sensor = system.sensors.filter(code=query["sensor"]).first()
    if sensor is None:
        return Response({"detail": _("No sensor of this system has that code.")}, status=404)
    last = sensor.hours.order_by("-hour").values_list("hour", flat=True).first()
    end = query.get("end") or (last or dt.datetime.now(dt.UTC)) + dt.timedelta(hours=1)
    start = query.get("start") or end - dt.timedelta(days=365)
    points = query.get("points", 1500)
    if end <= start:
        return Response({"detail": _("end must be after start.")}, status=400)
    return Response(asdict(series.plot_series(sensor, start, end, points)))


@extend_schema(
    summary="Performance of a system: daily COP/SCOP and the ETV period table (SI)",
    responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def performance(request: Request, system_id: int) -> Response:
    system = _visible(request, system_id)
    periods = []
    for row in services.period_rows(system):
        data = asdict(row)
        data["period"] = {
            "name": row.period.name,
            "mode": row.period.mode,
            "start_date": row.period.start_date.isoformat(),
            "end_date": row.period.end_date.isoformat(),
            "missing_days": row.period.missing_days,
            "criterion_scop": row.period.criterion_scop,
        }
        periods.append(data)
    first = min((p.start_date for p in system.periods.all()), default=None)
    last = max((p.end_date for p in system.periods.all()), default=None)
    daily = (
        [{**asdict(r), "day": r.day.isoformat()} for r in services.daily_rows(system, first, last)]
        if first and last
        else []
    )
    alert_rows = [
        {
            "rule": a.rule.name,
            "severity": a.severity,
            "started_at": a.started_at.isoformat(),
            "ended_at": a.ended_at.isoformat() if a.ended_at else None,
            "message": alerts.alert_text(a),
        }
        for a in system.alerts.select_related("rule")[:200]
    ]
    return Response(
        {"system": system.code, "periods": periods, "daily": daily, "alerts": alert_rows}
    )


def _errors(errors: list[RowError]) -> list[dict[str, Any]]:
    return [{**e.as_dict(), "message": RowError.text(e.as_dict())} for e in errors]


@extend_schema(
    summary="Append readings to a system (token in the Authorization header: Token <token>)",
    request=OpenApiTypes.OBJECT,
    responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 401: OpenApiTypes.OBJECT},
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def append_readings(request: Request, system_id: int) -> Response:
    """All or nothing: any bad reading refuses the whole post, each named by position and
    field; readings already stored with the same value are skipped (a retry is harmless)."""
    system = GroundSourceSystem.objects.select_related("region").filter(pk=system_id).first()
    header = request.headers.get("Authorization", "")
    token = header[6:].strip() if header.startswith("Token ") else ""
    if system is None or not system.token_matches(token):
        # the same answer for an unknown system and a wrong token: ids are not probed
        return Response({"detail": _("A valid system token is required.")}, status=401)
    items = request.data.get("readings") if isinstance(request.data, dict) else None
    if isinstance(items, list) and len(items) > MAX_APPEND_READINGS:
        return Response(
            {"detail": _("At most %(n)s readings per request.") % {"n": MAX_APPEND_READINGS}},
            status=400,
        )
    try:
        written = services.append(system, request.data)
    except series.SeriesRefused as exc:
        return Response({"detail": _("Nothing was written."), "errors": _errors(exc.errors)}, 400)
    return Response({"written": written}, status=201)
