"""Queueing a recompute: one Job per region waits for the uploads that come close together."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from core.jobs import dispatch
from core.models import Job, Region

RECOMPUTE_QUEUE_GRACE_S = 300.0


def request_recompute(region: Region, user: Any = None, delay_s: float | None = None) -> Job:
    """Queue a recomputation of `region`, or return the one already waiting (imports within the
    delay share it: several uploads give one recompute)."""
    from potential_map import tasks

    delay = settings.RECOMPUTE_DELAY_S if delay_s is None else delay_s
    with transaction.atomic():
        Region.objects.select_for_update().get(pk=region.pk)
        waiting = Job.objects.filter(kind="recompute", region=region, state=Job.State.QUEUED)
        # A queued job older than its delay plus a grace period lost its message (a broker
        # restart, a job created by hand): end it rather than wait for it for ever.
        cutoff = timezone.now() - timedelta(seconds=delay + RECOMPUTE_QUEUE_GRACE_S)
        waiting.filter(created_at__lt=cutoff).update(
            state=Job.State.FAILED,
            message=N_("Never started: its message was lost; a new recompute was queued."),
            finished_at=timezone.now(),
        )
        if waiting.exists():
            return waiting.first()
        job = Job.objects.create(kind="recompute", region=region, created_by=user)
        dispatch(job, tasks.recompute_region, countdown=delay)  # the outbox (core.jobs)
    return job
