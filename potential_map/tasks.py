"""Celery entry points of potential_map. A task takes ids, hands its job to one service."""

from __future__ import annotations

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from core.jobs import run_job
from potential_map import services


@shared_task(base=DjangoTask)
def recompute_region(job_id: int) -> None:
    """Queue entry point for services.recompute_region."""
    run_job(job_id, services.recompute_region)
