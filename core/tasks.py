"""Celery entry points of core. A task takes ids, hands its job to one service, holds no logic."""

from __future__ import annotations

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from core import jobs, services


@shared_task(base=DjangoTask)
def measure_regions(job_id: int) -> None:
    """Queue entry point for services.measure_regions."""
    jobs.run_job(job_id, services.measure_regions)


@shared_task(base=DjangoTask)
def fail_stale_jobs() -> int:
    """Periodic: end the jobs of workers that died (see jobs.fail_stale_jobs)."""
    return jobs.fail_stale_jobs()


@shared_task(base=DjangoTask)
def resend_jobs() -> int:
    """Periodic: the outbox relay (see jobs.resend_jobs)."""
    return jobs.resend_jobs()
