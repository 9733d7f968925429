"""Run a service for a queued Job and record how it ended. Tasks call this, nothing else."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.models import Job
from core.signals import jobs_abandoned

logger = logging.getLogger(__name__)
# A service returns this when it has handed the rest of its job to other tasks.
CONTINUES = object()


def run_job(job_id: int, service: Callable[[Job], object]) -> None:
    """Claim the job if it is still queued, run `service(job)`, and store success or failure."""
    now = timezone.now()
    # A conditional UPDATE is the claim: a redelivered or duplicate message finds 0 rows.
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        logger.info("job %s is no longer queued; nothing to do", job_id)
        return
    job = Job.objects.select_related("region").get(pk=job_id)
    # A worker lives long: content types may have been re-created since its last task (a
    # migration, or a test database flushed), so its cached ids are not trusted across tasks.
    ContentType.objects.clear_cache()
    job.set_progress(0.0, gettext_noop("Started"))
    try:
        result = service(job)
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILED,
            message=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        raise
    if result is CONTINUES:
        return  # other tasks carry the job on and end it
    job.set_progress(1.0, gettext_noop("Done"))
    Job.objects.filter(pk=job_id).update(state=Job.State.SUCCEEDED, finished_at=timezone.now())


def fail_stale_jobs() -> int:
    """Mark running or queued jobs failed when their row has not moved for JOB_STALE_AFTER_S.

    A worker killed mid-job leaves its row `running` for ever, and a lost message leaves it
    `queued`; this is how they end. Returns how many jobs were failed.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER_S)
    stale = Job.objects.filter(state=Job.State.RUNNING, updated_at__lt=cutoff)
    stale_ids = list(stale.values_list("pk", flat=True))
    running = stale.update(
        state=Job.State.FAILED,
        message=gettext_noop("The worker stopped answering; the job was abandoned."),
        finished_at=timezone.now(),
    )
    if stale_ids:
        jobs_abandoned.send(sender=Job, job_ids=stale_ids)  # ingest rejects their batches
    queued = Job.objects.filter(state=Job.State.QUEUED, updated_at__lt=cutoff).update(
        state=Job.State.FAILED,
        message=gettext_noop("Never started: no worker took it."),
        finished_at=timezone.now(),
    )
    return running + queued
