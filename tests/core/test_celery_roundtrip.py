"""A job goes through the real Redis to a real worker process and back to the Job row."""

from __future__ import annotations

import time

import pytest

from core import tasks
from core.models import Job, Region
from tests.core.test_postgis import ellipsoid_quadrangle_area_m2
from tests.factories import RegionFactory, square

JOB_TIMEOUT_S = 60.0


def wait_for(job: Job, timeout_s: float = JOB_TIMEOUT_S) -> list[float]:
    """Poll the row until the job ends; return the progress values seen while polling."""
    seen: list[float] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.append(job.progress)
        if job.state in (Job.State.SUCCEEDED, Job.State.FAILED):
            return seen
        time.sleep(0.05)
    pytest.fail(f"job {job.pk} still {job.state} after {timeout_s} s: {job.log}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_queued_job_runs_on_the_worker_and_its_progress_moves_from_0_to_1(
    celery_worker_process: object,
) -> None:
    for n, lat in enumerate((0.0, 10.0, 20.0)):
        RegionFactory(code=f"band{n}", boundary=square(0.0, lat, 1.0))
    job = Job.objects.create(kind="measure_regions")
    tasks.measure_regions.delay_on_commit(job.pk)

    seen = wait_for(job)

    assert job.state == Job.State.SUCCEEDED, job.message
    assert job.started_at is not None
    assert job.finished_at is not None
    # Three regions: "Started" at 0, one step per region (1/4 each), "Done" at 1.
    assert job.progress_steps() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    for n, lat in enumerate((0.0, 10.0, 20.0)):
        area = Region.objects.get(code=f"band{n}").area_m2
        assert area == pytest.approx(ellipsoid_quadrangle_area_m2(lat, lat + 1, 1.0), rel=1e-6)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_message_delivered_twice_runs_the_job_once(celery_worker_process: object) -> None:
    RegionFactory(code="once", boundary=square(0.0, 0.0, 1.0))
    job = Job.objects.create(kind="measure_regions")
    tasks.measure_regions.delay(job.pk)
    tasks.measure_regions.delay(job.pk)  # a redelivery: the second finds the job claimed
    # The solo worker takes messages in order: once this later job ends, both are consumed.
    marker = Job.objects.create(kind="measure_regions")
    tasks.measure_regions.delay(marker.pk)
    wait_for(marker)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert job.progress_steps() == [0.0, 0.5, 1.0]
