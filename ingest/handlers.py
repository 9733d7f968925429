"""What ingest does when core announces something."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from ingest.errors import RowError
from ingest.models import ImportBatch


def reject_abandoned_imports(sender: Any, job_ids: list[int], **kwargs: Any) -> None:
    """core.signals.jobs_abandoned: the batches of abandoned import jobs end rejected, so they
    can be uploaded again. The dead worker's transaction was undone by the database, so none of
    their rows were written."""
    for batch in ImportBatch.objects.filter(
        job_id__in=job_ids,
        state__in=(ImportBatch.State.PENDING, ImportBatch.State.VALIDATING),
    ):
        message = N_("The worker stopped during the import; nothing was written.")
        batch.state = ImportBatch.State.REJECTED
        batch.errors = [RowError(batch.file_name, None, "", "", message).as_dict()]
        batch.finished_at = timezone.now()
        batch.save(update_fields=["state", "errors", "finished_at"])
