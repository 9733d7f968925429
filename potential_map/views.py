"""Steward pages of potential_map: recompute a region's maps now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.models import Region
from core.permissions import get_or_404
from ingest.views import back_to
from potential_map.services import request_recompute


@require_POST
@login_required
@transaction.atomic  # the queued job and its audit entry together
def recompute(request: HttpRequest, region_code: str) -> HttpResponse:
    """A steward's button on the upload page: recompute the region's maps now."""
    region: Region = get_or_404(Region.objects, request.user, "steward", code=region_code)
    job = request_recompute(region, request.user, delay_s=0)
    audit.record(request, audit.Action.RECOMPUTE, region, job, {"job": job.pk})
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse({"job": job.pk}, status=202)
    messages.success(
        request,
        _(
            "The maps of %(region)s are being recomputed (job #%(job)s); the new maps replace "
            "the old ones when the job has finished."
        )
        % {"region": region.name, "job": job.pk},
    )
    return back_to(request, region)


def upload_page_panel(region: Region) -> dict[str, object]:
    """The recompute button on ingest's upload page (a panel potential_map adds to it)."""
    return {"region": region}
