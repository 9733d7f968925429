"""run_job: claims once, records failure with its reason, and stale jobs end as failed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from core.jobs import fail_stale_jobs, run_job
from core.models import Job
from tests.factories import JobFactory


def _service_that_fails(job: Job) -> None:
    job.set_progress(0.5, "Half way")
    raise ValueError("the grid has no cells")


@pytest.mark.django_db
def test_a_failing_service_leaves_the_job_failed_with_its_reason() -> None:
    job = JobFactory()
    with pytest.raises(ValueError, match="no cells"):
        run_job(job.pk, _service_that_fails)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.message == "ValueError: the grid has no cells"
    assert job.progress_steps() == [0.0, 0.5]
    assert job.finished_at is not None


@pytest.mark.django_db
def test_a_job_that_is_not_queued_is_not_run_again() -> None:
    job = JobFactory(state=Job.State.SUCCEEDED)
    calls: list[int] = []
    run_job(job.pk, lambda j: calls.append(j.pk))
    assert calls == []


@pytest.mark.django_db
def test_progress_is_clamped_to_0_1_and_logged() -> None:
    job = JobFactory()
    job.set_progress(1.7, "over")
    job.set_progress(-0.2, "under")
    job.refresh_from_db()
    assert job.progress == 0.0
    assert job.progress_steps() == [1.0, 0.0]


@pytest.mark.django_db
@override_settings(JOB_STALE_AFTER_S=600)
def test_running_jobs_of_a_dead_worker_are_failed_after_the_stale_time() -> None:
    stale = JobFactory(state=Job.State.RUNNING)
    fresh = JobFactory(state=Job.State.RUNNING)
    Job.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(seconds=601))
    assert fail_stale_jobs() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.state == Job.State.FAILED
    assert "stopped answering" in stale.message
    assert fresh.state == Job.State.RUNNING


@pytest.mark.django_db
@override_settings(JOB_STALE_AFTER_S=600)
def test_queued_jobs_nobody_took_are_failed_after_the_stale_time() -> None:
    lost = JobFactory()
    Job.objects.filter(pk=lost.pk).update(updated_at=timezone.now() - timedelta(seconds=601))
    assert fail_stale_jobs() == 1
    lost.refresh_from_db()
    assert lost.state == Job.State.FAILED
    assert lost.message == "Never started: no worker took it."
