"""A worker that dies mid-import: core fails its stale job and announces it (jobs_abandoned);
ingest ends the job's batch rejected, so the file can be uploaded again. core names no batch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from core.jobs import fail_stale_jobs
from core.models import Job
from ingest import service
from ingest.models import ImportBatch
from tests.wells import files

pytestmark = pytest.mark.django_db


@override_settings(JOB_STALE_AFTER_S=600)
def test_the_batch_of_an_abandoned_import_ends_rejected_with_a_reason(gunma) -> None:
    data = files.table_csv(files.YOSHIOKA_BOREHOLE)
    batch, job = service.create_batch(gunma, "auto", SimpleUploadedFile("b.csv", data), None)
    other, _job = service.create_batch(gunma, "auto", SimpleUploadedFile("c.csv", data), None)
    # The dead worker had claimed the first job and started validating its batch.
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, updated_at=timezone.now() - timedelta(seconds=601)
    )
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.VALIDATING)
    assert fail_stale_jobs() == 1
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.REJECTED
    assert batch.finished_at is not None
    assert batch.errors == [
        {
            "file": "b.csv",
            "row": None,
            "field": "",
            "value": "",
            "message": "The worker stopped during the import; nothing was written.",
            "params": {},
        }
    ]
    other.refresh_from_db()
    assert other.state == ImportBatch.State.PENDING  # its job is still waiting for a worker
