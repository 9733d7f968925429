"""What estimates does when core announces something."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

from estimates.models import Estimate


def fail_abandoned_estimates(sender: Any, job_ids: list[int], **kwargs: Any) -> None:
    """core.signals.jobs_abandoned: an estimate whose job was abandoned ends failed, so an
    identical request starts a new one instead of following a dead one."""
    Estimate.objects.filter(
        job_id__in=job_ids, state__in=(Estimate.State.QUEUED, Estimate.State.RUNNING)
    ).update(
        state=Estimate.State.FAILED,
        message=N_("The worker stopped or never took this estimate; ask again."),
    )
