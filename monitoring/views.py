"""Monitoring pages: the systems of a region, and one system with its plots, the ETV period
table, the daily table and the alerts; stewards upload series files and make API tokens."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from core import audit
from core.jobs import dispatch
from core.models import Region
from core.permissions import get_or_404, may
from core.throttling import rate_limited
from ingest.errors import RefusedFile, RowError
from monitoring import alerts, services, tasks
from monitoring.domain import freeze
from monitoring.models import GroundSourceSystem, Loop


def _system(request: HttpRequest, region_code: str, code: str) -> GroundSourceSystem:
    return get_object_or_404(
        GroundSourceSystem.objects.visible_to(request.user).select_related("region"),
        region__code=region_code,
        code=code,
    )


def _stewarded(request: HttpRequest, region_code: str, code: str) -> GroundSourceSystem:
    system: GroundSourceSystem = get_or_404(
        GroundSourceSystem.objects.select_related("region"),
        request.user,
        "steward",
        region__code=region_code,
        code=code,
    )
    return system


def systems_page(request: HttpRequest, region_code: str) -> HttpResponse:
    region = get_object_or_404(Region.objects.visible_to(request.user), code=region_code)
    systems = GroundSourceSystem.objects.visible_to(request.user).filter(region=region)
    return render(request, "monitoring/systems.html", {"region": region, "systems": systems})


def _guideline_warnings(system: GroundSourceSystem) -> list[str]:
    """Closed-loop warnings from the guideline: heat carrier (GL-T27) and spacing (GL-T19)."""
    found: list[str] = []
    if system.loop != Loop.CLOSED:
        return found
    if system.borehole_spacing_m is not None:
        status = freeze.spacing_status(system.borehole_spacing_m)
        if status != "ok":
            found.append(
                _(
                    "Boreholes %(spacing)s m apart: the guideline asks for at least 6 m "
                    "(%(status)s)."
                )
                % {"spacing": system.borehole_spacing_m, "status": status}
            )
    text = (system.heat_carrier or "").lower().replace("-", " ")
    medium = next((k for k in freeze.HEAT_MEDIA if k.replace("_", " ") in text), None)
    if medium is not None:
        for column in freeze.heat_medium_warnings(medium)["warnings"]:
            found.append(
                _("Heat carrier %(medium)s is marked × for %(what)s in the guideline (fig. 29).")
                % {"medium": system.heat_carrier, "what": _HEAT_MEDIUM_COLUMNS[column]}
            )
    return found


_HEAT_MEDIUM_COLUMNS = {
    "metal_corrosion": _lazy("metal corrosion"),
    "viscosity": _lazy("viscosity at low temperature"),
    "non_flammability": _lazy("non-flammability"),
    "toxicity": _lazy("toxicity"),
    "environment": _lazy("environmental impact"),
}


def system_page(request: HttpRequest, region_code: str, code: str) -> HttpResponse:
    system = _system(request, region_code, code)
    steward = may(request.user, system)
    with timezone.override(system.region.time_zone):
        return render(
            request,
            "monitoring/system.html",
            {
                "system": system,
                "region": system.region,
                "sensors": system.sensors.all(),
                "wells": system.wells.select_related("borehole"),
                "periods": services.period_rows(system),
                "days": _days(system),
                "alerts": [
                    (a, alerts.alert_text(a), alerts.rule_name(a.rule))
                    for a in system.alerts.select_related("rule")[:100]
                ],
                "warnings": _guideline_warnings(system),
                "imports": system.imports.select_related("batch").order_by("-batch__created_at")[
                    :20
                ],
                "may_upload": steward,
                "token": request.session.pop(f"monitoring-token-{system.pk}", None),
            },
        )


def _days(system: GroundSourceSystem) -> list[dict[str, object]]:
    """The daily table: the last 120 days with readings, COP/SCOP/PLR and the wells' day."""
    last = system.sensors.aggregate(last=Max("hours__hour"))["last"]
    if last is None:
        return []
    last_day = timezone.localtime(last, system.zone).date()
    first_day = last_day - dt.timedelta(days=119)
    daily = services.daily_rows(system, first_day, last_day)
    rows: dict[dt.date, dict[str, object]] = {
        r.day: {"day": r.day, "performance": r} for r in daily
    }
    if system.loop == Loop.OPEN:
        for well in services.well_days(system, first_day, last_day, daily=daily):
            rows.setdefault(well.day, {"day": well.day})["wells"] = well
    return [rows[d] for d in sorted(rows, reverse=True)]


@require_POST
@rate_limited("upload")
def upload_series(request: HttpRequest, region_code: str, code: str) -> HttpResponse:
    system = _stewarded(request, region_code, code)
    upload_file = request.FILES.get("file")
    if upload_file is None:
        return JsonResponse({"error": _("Choose a file to upload.")}, status=400)
    try:
        batch, job = services.create_series_batch(system, upload_file, request.user)
    except RefusedFile as exc:
        audit.refused(request, audit.Action.UPLOAD, system.region, {"file": upload_file.name})
        return JsonResponse(
            {"error": RowError.text(exc.error.as_dict()), "file": exc.error.file}, status=400
        )
    audit.record(
        request,
        audit.Action.UPLOAD,
        system.region,
        batch,
        {"file": batch.file_name, "kind": batch.kind, "system": system.code},
    )
    dispatch(job, tasks.import_series)
    page_url = reverse("ingest:batch", args=[batch.pk])
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse(
            {
                "batch": batch.pk,
                "job": job.pk,
                "status_url": reverse("ingest:batch-status", args=[batch.pk]),
                "page_url": page_url,
            },
            status=202,
        )
    return redirect(page_url)


@require_POST
def new_token(request: HttpRequest, region_code: str, code: str) -> HttpResponse:
    """Replace the system's append token; the new one is shown once, on the next page view."""
    system = _stewarded(request, region_code, code)
    request.session[f"monitoring-token-{system.pk}"] = system.new_token()
    return redirect("monitoring:system", region_code, code)
