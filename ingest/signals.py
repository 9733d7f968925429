"""What ingest announces, once the change is committed (openwisp-controller's manner).

The apps above ingest subscribe in their own `handlers.py`: field_tests analyses the boreholes a
batch touched, potential_map queues the region's recompute. ingest calls none of them.

Every signal is sent with `sender=ImportBatch` and the keyword arguments `batch` (the
ImportBatch, as committed) and `user` (who did it; None for the fixture loader or a worker).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

batch_imported = Signal()  # every row of the batch is written
batch_published = Signal()  # its rows are public
batch_withdrawn = Signal()  # its rows are no longer public
batch_rolled_back = (
    Signal()
)  # its rows are undone: what it created is gone, what it changed is back


def announce(signal: Signal, batch: Any, user: Any | None = None) -> None:
    """Send `signal` for `batch` when the current transaction commits (at once outside one).

    A failing handler is logged and the others still run: the batch is committed whatever its
    subscribers do with it, so their failure must not turn it into a failed job or a 500.
    """
    from ingest.models import ImportBatch

    def send() -> None:
        for receiver, result in signal.send_robust(sender=ImportBatch, batch=batch, user=user):
            if isinstance(result, Exception):
                logger.error(
                    "%s failed on batch %s",
                    getattr(receiver, "__qualname__", receiver),
                    batch.pk,
                    exc_info=result,
                )

    transaction.on_commit(send)
