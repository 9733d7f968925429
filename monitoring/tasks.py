"""Celery entry points of monitoring. A task takes ids, hands its job to one service."""

from __future__ import annotations

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from core.jobs import run_job
from monitoring import alerts, services


@shared_task(base=DjangoTask)
def import_series(job_id: int) -> None:
    """Queue entry point for services.import_series_job."""
    run_job(job_id, services.import_series_job)


@shared_task(base=DjangoTask)
def evaluate_alerts() -> int:
    """Celery beat: evaluate every enabled rule on every system; e-mail new alerts."""
    return alerts.evaluate_all()
