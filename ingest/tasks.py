"""Celery entry points of ingest. A task takes ids, hands its job to one service, holds no logic."""

from __future__ import annotations

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from core.jobs import run_job
from ingest import service


@shared_task(base=DjangoTask)
def import_batch(job_id: int) -> None:
    """Queue entry point for service.import_job. A batch written is announced (batch_imported):
    field_tests analyses what it touched and potential_map queues the region's recompute."""
    run_job(job_id, service.import_job)
