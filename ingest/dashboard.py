"""A steward's region dashboard: the recent batches with their state and counts, and the
region's map recomputation (the one queued or running, with its progress, else the last one).

Read through the gate: the view has fetched the region for the steward; the jobs are asked of
`Job.objects.visible_to(user, "steward")` too.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from core.jobs import waiting_message
from core.models import Job, Region
from ingest.models import ImportBatch
from ingest.publication import publication

RECENT_BATCHES = 10
# The kind of the Job rows potential_map's recomputations write (ingest does not import it).
RECOMPUTE_KIND = "recompute"
ACTIVE_STATES = (Job.State.QUEUED, Job.State.RUNNING)


def recent_batches(region: Region, limit: int = RECENT_BATCHES) -> list[ImportBatch]:
    """The region's latest batches, newest first, each with its `publication` sentence."""
    batches = list(
        ImportBatch.objects.filter(region=region)
        .select_related("region", "uploaded_by", "job")
        .order_by("-created_at", "-pk")[:limit]
    )
    for batch in batches:
        batch.publication = publication(batch)  # type: ignore[attr-defined]
    return batches


def recompute_job(user: Any, region: Region) -> Job | None:
    """The region's recomputation in progress (the earliest still queued or running), or the
    last one if none is."""
    jobs = Job.objects.visible_to(user, "steward").filter(region=region, kind=RECOMPUTE_KIND)
    active = jobs.filter(state__in=ACTIVE_STATES).order_by("created_at", "pk").first()
    return active or jobs.order_by("-created_at", "-pk").first()


def job_status(job: Job | None) -> dict[str, Any] | None:
    """A job as the page shows it: state, progress 0–1 and its message, translated."""
    if job is None:
        return None
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "active": job.state in ACTIVE_STATES,
        "progress": job.progress,
        "message": waiting_message(job) or (_(job.message) if job.message else ""),
    }


def batch_status(batch: ImportBatch) -> dict[str, Any]:
    job = batch.job
    return {
        "id": batch.pk,
        "state": batch.state,
        "state_label": batch.get_state_display(),
        "active": batch.state in (ImportBatch.State.PENDING, ImportBatch.State.VALIDATING),
        "progress": job.progress if job else 0.0,
        "rows": batch.row_count,
        "created": batch.created_count,
        "updated": batch.updated_count,
        "unchanged": batch.unchanged_count,
        "errors": batch.total_errors,
        "page_url": reverse("ingest:batch", args=[batch.pk]),
    }


def status(user: Any, region: Region) -> dict[str, Any]:
    """What the dashboard polls: its batches and its recomputation, as `job_status` says."""
    recompute = job_status(recompute_job(user, region))
    batches = [batch_status(batch) for batch in recent_batches(region)]
    return {
        "region": region.code,
        "recompute": recompute,
        "batches": batches,
        # the page polls while anything is under way
        "active": bool(recompute and recompute["active"]) or any(b["active"] for b in batches),
    }
