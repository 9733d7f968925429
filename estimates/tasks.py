"""Celery entry points of estimates. A task takes ids, hands its job to one service."""

from __future__ import annotations

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings

from core.jobs import run_job
from estimates import services
from estimates.models import Estimate


def _run(job):  # type: ignore[no-untyped-def]
    estimate = Estimate.objects.select_related("region", "created_by").get(job=job)
    services.run(estimate, job)


@shared_task(
    base=DjangoTask,
    soft_time_limit=settings.ESTIMATE_SOFT_TIME_LIMIT_S,
    time_limit=settings.ESTIMATE_TIME_LIMIT_S,
)
def compute_estimate(job_id: int) -> None:
    """Queue entry point for services.run (GHEtool is imported once per worker process). Runs
    on its own queue (settings.CELERY_TASK_ROUTES) within a soft and a hard time limit."""
    run_job(job_id, _run)
