"""Steward pages: upload a survey file, follow its import, read its errors, publish, withdraw
and roll batches back, download templates. Views check permission, call a service, and render.

ingest knows no survey kind by name: the page lists the registered kinds, and the apps above add
their parts of a page (the boreholes a batch changed, the recompute button) as panels.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import audit
from core.jobs import dispatch, waiting_message
from core.lib.spreadsheet import safe_row
from core.models import Region
from core.permissions import get_or_404
from core.throttling import rate_limited
from ingest import dashboard as dashboard_service
from ingest import registry, service, tasks
from ingest.errors import RefusedFile, RowError
from ingest.models import ImportBatch
from ingest.publication import publication
from ingest.templates_files import template_csv, template_xlsx


def _stewarded_region(request: HttpRequest, region_code: str) -> Region:
    """The region if the user stewards it; 404 if it does not exist for them, else 403."""
    region: Region = get_or_404(Region.objects, request.user, "steward", code=region_code)
    return region


def _stewarded_batch(request: HttpRequest, batch_id: int) -> ImportBatch:
    """A batch of a region the user stewards; a batch of another region is not even seen to
    exist (404)."""
    batch: ImportBatch = get_or_404(
        ImportBatch.objects.select_related("region", "job", "uploaded_by"),
        request.user,
        "steward",
        pk=batch_id,
    )
    return batch


def _dashboard_region(request: HttpRequest, region_code: str) -> Region:
    """The region if the user stewards it (or is an admin); to anyone else it is not found,
    even a published one (the dashboard is the stewards' own page)."""
    region: Region | None = (
        Region.objects.visible_to(request.user, "steward").filter(code=region_code).first()
    )
    if region is None:
        raise Http404
    return region


def back_to(request: HttpRequest, region: Region) -> HttpResponse:
    """Where a steward's action returns: the dashboard if the form came from it (its hidden
    `back` field), else the upload page."""
    if request.POST.get("back") == "dashboard":
        return redirect("ingest:dashboard", region_code=region.code)
    return redirect("ingest:upload", region_code=region.code)


@require_GET
@login_required
def dashboard(request: HttpRequest, region_code: str) -> HttpResponse:
    """A steward's day: the recent batches with their state and counts, the recomputation
    of the maps with its progress (followed by static/js/dashboard.js), and the buttons."""
    region = _dashboard_region(request, region_code)
    unpublishable = [kind.code for kind in registry.kinds() if not kind.publishable]
    job = dashboard_service.recompute_job(request.user, region)
    with timezone.override(region.time_zone):
        return render(
            request,
            "ingest/dashboard.html",
            {
                "region": region,
                "batches": dashboard_service.recent_batches(region),
                "recompute": dashboard_service.job_status(job),
                "recompute_job": job,
                "unpublishable": unpublishable,
                "panels": _panels(request, "upload", region),
            },
        )


@require_GET
@login_required
def dashboard_status(request: HttpRequest, region_code: str) -> JsonResponse:
    """What the dashboard polls: its batches' states and counts, the recomputation's progress."""
    region = _dashboard_region(request, region_code)
    return JsonResponse(dashboard_service.status(request.user, region))


@login_required
def imports_home(request: HttpRequest) -> HttpResponse:
    """The regions the user stewards; with one, go straight to its upload page."""
    regions = list(Region.objects.visible_to(request.user, "steward").order_by("code"))
    if len(regions) == 1:
        return redirect("ingest:upload", region_code=regions[0].code)
    if not regions:
        raise PermissionDenied(_("You are not a data steward of any region."))
    return render(request, "ingest/imports_home.html", {"regions": regions})


@login_required
@rate_limited("upload")
@transaction.atomic  # the batch and its audit entry together
def upload(request: HttpRequest, region_code: str) -> HttpResponse:
    """GET: the upload page with the batch history. POST: store the file and queue its import."""
    region = _stewarded_region(request, region_code)
    if request.method == "POST":
        return _receive_upload(request, region)
    batches = list(
        ImportBatch.objects.filter(region=region)
        .select_related("region", "uploaded_by", "rolled_back_by")
        .order_by("-created_at")[:200]
    )
    for batch in batches:  # as the public experiences it, not the batch's own flag
        batch.publication = publication(batch)  # type: ignore[attr-defined]
    kinds = [(kind.code, _(kind.label)) for kind in registry.kinds(offered=True)]
    unpublishable = [kind.code for kind in registry.kinds() if not kind.publishable]
    with timezone.override(region.time_zone):
        return render(
            request,
            "ingest/upload.html",
            {
                "region": region,
                "batches": batches,
                "kinds": kinds,
                "unpublishable": unpublishable,
                "panels": _panels(request, "upload", region),
            },
        )


def _receive_upload(request: HttpRequest, region: Region) -> HttpResponse:
    upload_file = request.FILES.get("file")
    kind = request.POST.get("kind", "auto")
    offered = registry.get(kind)
    if kind != "auto" and (offered is None or not offered.offered):
        return JsonResponse({"error": _("Unknown survey kind.")}, status=400)
    if upload_file is None:
        return JsonResponse({"error": _("Choose a file to upload.")}, status=400)
    try:
        batch, job = service.create_batch(region, kind, upload_file, request.user)
    except RefusedFile as exc:
        audit.refused(request, audit.Action.UPLOAD, region, {"file": upload_file.name})
        return JsonResponse(
            {"error": RowError.text(exc.error.as_dict()), "file": exc.error.file}, status=400
        )
    audit.record(request, audit.Action.UPLOAD, region, batch, _upload_summary(batch))
    dispatch(job, tasks.import_batch)
    status_url = reverse("ingest:batch-status", args=[batch.pk])
    page_url = reverse("ingest:batch", args=[batch.pk])
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse(
            {"batch": batch.pk, "job": job.pk, "status_url": status_url, "page_url": page_url},
            status=202,
        )
    return redirect(page_url)


def _upload_summary(batch: ImportBatch) -> dict[str, Any]:
    return {
        "batch": batch.pk,
        "file": batch.file_name,
        "kind": batch.kind,
        "sha256": batch.sha256,
        "size_bytes": batch.size_bytes,
    }


ERRORS_PER_PAGE = 100


def _translated(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "message": RowError.text(row)} for row in rows]


@login_required
def batch_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _stewarded_batch(request, batch_id)
    errors_page = Paginator(batch.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    with timezone.override(batch.region.time_zone):
        return render(
            request,
            "ingest/batch.html",
            {
                "batch": batch,
                "errors": _translated(list(errors_page.object_list)),
                "errors_page": errors_page,
                "warnings": _translated(batch.warnings[:ERRORS_PER_PAGE]),
                "more_errors": batch.total_errors - len(batch.errors),
                "omitted": [
                    {**row, "message": _(row["message"])} for row in batch.omitted.get("errors", [])
                ],
                "changes": service.change_summary(batch),
                "publication": publication(batch, count_rows=True),
                "panels": _panels(request, "batch", batch),
            },
        )


@require_GET
@login_required
def batch_status(request: HttpRequest, batch_id: int) -> JsonResponse:
    """What the upload page polls: state, progress, counts, and the first errors, translated."""
    batch = _stewarded_batch(request, batch_id)
    job = batch.job
    return JsonResponse(
        {
            "batch": batch.pk,
            "state": batch.state,
            "state_label": batch.get_state_display(),
            "progress": job.progress if job else 0.0,
            "message": waiting_message(job) or (_(job.message) if job and job.message else ""),
            "job_state": job.state if job else None,
            "kind": batch.kind,
            "row_count": batch.row_count,
            "created": batch.created_count,
            "updated": batch.updated_count,
            "unchanged": batch.unchanged_count,
            "error_count": batch.total_errors,
            "errors": _translated(batch.errors[:500]),
            "warnings": _translated(batch.warnings[:500]),
            "errors_csv": reverse("ingest:batch-errors", args=[batch.pk]),
            "page_url": reverse("ingest:batch", args=[batch.pk]),
        }
    )


@require_GET
@login_required
def batch_errors_csv(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Every error and warning of a batch as CSV (file, row, field, value, message)."""
    batch = _stewarded_batch(request, batch_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["severity", "file", "row", "field", "value", "message"])
    for severity, rows in (("error", batch.errors), ("warning", batch.warnings)):
        for row in rows:
            writer.writerow(
                safe_row(
                    [
                        severity,
                        row["file"],
                        row["row"] or "",
                        row["field"],
                        row["value"],
                        RowError.text(row),
                    ]
                )
            )
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="batch-{batch.pk}-errors.csv"'
    return response


@require_POST
@login_required
@transaction.atomic  # the rollback and its audit entry together
def batch_rollback(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _stewarded_batch(request, batch_id)
    try:
        service.rollback_batch(batch, request.user)
        audit.record(request, audit.Action.ROLLBACK, batch.region, batch, {"batch": batch.pk})
    except service.RollbackRefused as exc:
        return render(
            request,
            "ingest/batch.html",
            {"batch": batch, "errors": [], "warnings": [], "rollback_error": _(str(exc))},
            status=409,
        )
    messages.success(
        request,
        _(
            "Batch #%(batch)s is rolled back: the rows it created are deleted and those it "
            "changed are restored. The maps made with it are recomputed."
        )
        % {"batch": batch.pk},
    )
    return back_to(request, batch.region)


@require_POST
@login_required
@transaction.atomic  # the publication and its audit entry together
def batch_publish(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Publish (published=1) or withdraw (published=0) the rows of a batch."""
    batch = _stewarded_batch(request, batch_id)
    try:
        published = request.POST.get("published", "1") == "1"
        rows = service.publish_batch(batch, published, request.user)
    except service.RollbackRefused as exc:
        return HttpResponse(_(str(exc)), status=409)
    action = audit.Action.PUBLISH if published else audit.Action.WITHDRAW
    # Announced after commit (batch_published / batch_withdrawn): the maps follow.
    audit.record(request, action, batch.region, batch, {"batch": batch.pk, "rows": rows})
    if published:
        done = _("Batch #%(batch)s is published (rows: %(rows)s).")
    else:
        done = _(
            "Batch #%(batch)s is withdrawn (rows: %(rows)s): they are no longer public. The "
            "maps made with it are hidden from the public until they are recomputed."
        )
    seen = publication(batch, count_rows=True).text  # what the public now sees of it
    messages.success(request, f"{done % {'batch': batch.pk, 'rows': rows}} {seen}")
    return back_to(request, batch.region)


@require_GET
def template_download(request: HttpRequest, kind: str, extension: str) -> HttpResponse:
    """The template of a survey kind (public: templates hold no data)."""
    spec = registry.get(kind)
    if spec is None or not spec.offered or not spec.columns or extension not in ("csv", "xlsx"):
        raise Http404
    if extension == "csv":
        response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            template_xlsx(kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.{extension}"'
    return response


def _panels(request: HttpRequest, page: registry.Page, obj: Any) -> list[SafeString]:
    """The parts other apps add to `page`, rendered for `obj` (the region or the batch)."""
    rendered = []
    for panel in registry.panels(page):
        context = panel.context(obj)
        if context is not None:
            rendered.append(render_to_string(panel.template, dict(context), request=request))
    return rendered
