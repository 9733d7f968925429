"""Celery entry points of wells. A task takes ids, hands its job to one service, holds no logic."""

from __future__ import annotations

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from core.jobs import run_job
from wells.imports import service


@shared_task(base=DjangoTask)
def import_batch(job_id: int) -> None:
    """Queue entry point for imports.service.import_job."""
    run_job(job_id, service.import_job)
