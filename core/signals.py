"""What core announces. core imports no app: the apps that care subscribe."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by jobs.fail_stale_jobs (sender=Job) with `job_ids`: running jobs whose worker stopped
# answering, and queued jobs no worker took, now failed. Their transactions were undone by the
# database; an app whose rows follow a job (ingest's batches, estimates) ends them too.
jobs_abandoned = Signal()
