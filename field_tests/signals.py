"""What field_tests announces, once committed: the apps above it (the maps) subscribe."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# A region's current analyses changed (a new version on import or by a steward's refit):
# sent with sender=FieldTestAnalysis, `region` and `user` (None for the worker).
analysis_changed = Signal()


def announce_analysis_changed(region: Any, user: Any | None = None) -> None:
    """Send analysis_changed when the current transaction commits (at once outside one); a
    failing handler is logged, the analyses stay."""
    from field_tests.models import FieldTestAnalysis

    def send() -> None:
        for receiver, result in analysis_changed.send_robust(
            sender=FieldTestAnalysis, region=region, user=user
        ):
            if isinstance(result, Exception):
                logger.error(
                    "%s failed on region %s",
                    getattr(receiver, "__qualname__", receiver),
                    region.pk,
                    exc_info=result,
                )

    transaction.on_commit(send)
