"""Celery entry points of wells. A task takes ids, hands its job to one service, holds no logic."""

from __future__ import annotations

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from core.jobs import run_job
from ingest.models import ImportBatch
from potential_map.services import request_recompute
from wells.imports import service


@shared_task(base=DjangoTask)
def import_batch(job_id: int) -> None:
    """Queue entry point for imports.service.import_job; a successful import queues the
    region's map recomputation (imports close together share one)."""
    run_job(job_id, service.import_job)
    batch = ImportBatch.objects.filter(job_id=job_id).select_related("region").first()
    if batch is not None and batch.state == ImportBatch.State.IMPORTED:
        request_recompute(batch.region, batch.uploaded_by)
