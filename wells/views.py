"""The public borehole page. Views check permission, call a service, and render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.permissions import may
from wells import panels
from wells.models import Borehole
from wells.presentation import borehole_context


def borehole_page(request: HttpRequest, region_code: str, code: str) -> HttpResponse:
    """A borehole's record: column log, temperature profile, water levels and chemistry."""
    borehole = get_object_or_404(
        Borehole.objects.visible_to(request.user).select_related("region"),
        region__code=region_code,
        code=code,
    )
    context = borehole_context(borehole, request.user)
    may_steward = may(request.user, borehole)
    # Measurement times are shown in the region's local time, as the surveys wrote them.
    with timezone.override(borehole.region.time_zone):
        # What the apps above wells show of this borehole (field_tests: its analyses).
        context["panels"] = panels.render(request, borehole, may_steward)
        return render(request, "wells/borehole.html", context)
