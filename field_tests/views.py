"""A steward refits an analysis with another window: a new version, the old one kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.permissions import get_or_404
from core.throttling import rate_limited
from field_tests import services
from field_tests.domain.pumping import PumpingTestError
from field_tests.domain.trt import TrtError
from field_tests.models import AnalysisKind, FieldTestAnalysis
from field_tests.signals import announce_analysis_changed

SECONDS_PER_HOUR = 3600.0


@require_POST
@login_required
@rate_limited("upload")
@transaction.atomic  # the new version and its audit entry together
def refit(request: HttpRequest, analysis_id: int) -> HttpResponse:
    analysis: FieldTestAnalysis = get_or_404(
        FieldTestAnalysis.objects.select_related("borehole__region"),
        request.user,
        "steward",
        pk=analysis_id,
        is_current=True,
    )
    borehole = analysis.borehole
    back = redirect("wells:borehole", region_code=borehole.region.code, code=borehole.code)
    try:
        start_h = float(request.POST["window_start_h"].replace(",", "."))
        end_h = float(request.POST["window_end_h"].replace(",", "."))
    except (KeyError, ValueError):
        messages.error(request, _("Give the window's start and end in hours, e.g. 12 and 50."))
        return back
    window = (start_h * SECONDS_PER_HOUR, end_h * SECONDS_PER_HOUR)
    try:
        if analysis.kind == AnalysisKind.TRT:
            new = services.analyse_trt(analysis.thermal_response_test, window, request.user)
        elif analysis.kind == AnalysisKind.CONSTANT_RATE:
            new = services.analyse_pumping_test(analysis.pumping_test, window, user=request.user)
        else:
            raise PermissionDenied(_("This analysis has no fit window."))
    except (TrtError, PumpingTestError) as exc:
        messages.error(request, _("The fit was not changed: %(reason)s") % {"reason": exc})
        return back
    summary = {"analysis": analysis.pk, "new_analysis": new.pk, "window_s": list(window)}
    audit.record(request, audit.Action.REFIT, borehole.region, new, summary)
    messages.success(request, _("A new version of the analysis was made; the old one is kept."))
    announce_analysis_changed(borehole.region, request.user)  # the map uses the current version
    return back
