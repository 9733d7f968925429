"""Run a service for a queued Job and record how it ended. Tasks call this, nothing else."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from celery import current_app as celery_app  # the project's app: core imports no config
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from core.models import Job
from core.signals import jobs_abandoned

logger = logging.getLogger(__name__)
# A service returns this when it has handed the rest of its job to other tasks.
CONTINUES = object()


# The broker is asked once, quickly: a request must not wait for a broker that is down (the
# beat sends the job again when it is back).
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}


def dispatch(
    job: Job, task: Any, args: list[Any] | None = None, *, queue: str = "", countdown: float = 0
) -> None:
    """Write on the job's row what to send (`task` with `args`, default [job.pk]), and send it
    once the caller's transaction commits. A broker that is down leaves the job queued and
    unsent; the beat's resend_jobs sends it when the broker is back. Never raises for the
    broker: the request that queued the job still answers."""
    name = task if isinstance(task, str) else task.name
    not_before = timezone.now() + timedelta(seconds=countdown) if countdown else None
    Job.objects.filter(pk=job.pk).update(
        task_name=name,
        task_args=list(args) if args is not None else [job.pk],
        task_queue=queue,
        not_before=not_before,
    )
    job.task_name, job.not_before = name, not_before
    transaction.on_commit(partial(send, job.pk))


def waiting_message(job: Job | None) -> str:
    """What a user reads of a job whose message the broker has not taken yet (translated)."""
    if job is None or not job.waiting_for_worker:
        return ""
    return gettext("Queued: it will run when the worker is back.")


def send(job_id: int) -> bool:
    """Publish a queued job's message now (or with its remaining countdown); True if the broker
    took it. Nothing is sent for a job no longer queued."""
    row = (
        Job.objects.filter(pk=job_id, state=Job.State.QUEUED)
        .exclude(task_name="")
        .values("task_name", "task_args", "task_queue", "not_before")
        .first()
    )
    if row is None:
        return False
    countdown = None
    if row["not_before"] is not None:
        countdown = max(0.0, (row["not_before"] - timezone.now()).total_seconds()) or None
    try:
        celery_app.send_task(
            row["task_name"],
            args=row["task_args"],
            queue=row["task_queue"] or None,
            countdown=countdown,
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except Exception:  # kombu's OperationalError, redis' ConnectionError, an OSError, ...
        logger.warning("job %s: the broker did not take its message; the beat will resend", job_id)
        Job.objects.filter(pk=job_id).update(dispatch_attempts=F("dispatch_attempts") + 1)
        return False
    Job.objects.filter(pk=job_id).update(
        sent_at=timezone.now(), dispatch_attempts=F("dispatch_attempts") + 1
    )
    return True


def resend_jobs() -> int:
    """The beat's outbox relay: send queued jobs whose message never reached the broker
    (published while it was down) or was lost with it (sent JOB_RESEND_AFTER_S ago and still
    not claimed). A duplicate finds the job claimed and does nothing. Returns how many went."""
    now = timezone.now()
    grace = now - timedelta(seconds=settings.JOB_SEND_GRACE_S)
    lost = now - timedelta(seconds=settings.JOB_RESEND_AFTER_S)
    due = (
        Job.objects.filter(state=Job.State.QUEUED)
        .exclude(task_name="")
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=grace))
        .filter(Q(sent_at__isnull=True, created_at__lte=grace) | Q(sent_at__lte=lost))
    )
    return sum(send(pk) for pk in due.order_by("pk").values_list("pk", flat=True)[:1000])


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
    never = Job.objects.filter(state=Job.State.QUEUED, updated_at__lt=cutoff)
    never_ids = list(never.values_list("pk", flat=True))
    queued = never.update(
        state=Job.State.FAILED,
        message=gettext_noop("Never started: no worker took it."),
        finished_at=timezone.now(),
    )
    if stale_ids or never_ids:
        # ingest rejects their batches, estimates fails their estimates
        jobs_abandoned.send(sender=Job, job_ids=stale_ids + never_ids)
    return running + queued
