"""The public borehole page. Views check permission, call a service, and render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from wells.models import Borehole
from wells.presentation import borehole_context


def borehole_page(request: HttpRequest, region_code: str, code: str) -> HttpResponse:
    """A borehole's record: column log, temperature profile, water levels and chemistry."""
    borehole = get_object_or_404(
        Borehole.objects.visible_to(request.user).select_related("region"),
        region__code=region_code,
        code=code,
    )
    # Measurement times are shown in the region's local time, as the surveys wrote them.
    from field_tests.presentation import analyses_context

    context = borehole_context(borehole, request.user)
    may_refit = borehole.region.is_stewarded_by(request.user)
    context["analyses"] = analyses_context(borehole, request.user, may_refit)
    with timezone.override(borehole.region.time_zone):
        return render(request, "wells/borehole.html", context)
