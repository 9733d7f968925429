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


@shared_task(base=DjangoTask)
def recompute_window(job_id: int, index: int, count: int) -> None:
    """One window of a large recompute (services.krige_window)."""
    services.krige_window(job_id, index, count)


@shared_task(base=DjangoTask)
def assemble_region(job_id: int) -> None:
    """The end of a windowed recompute (services.assemble)."""
    services.assemble(job_id)
