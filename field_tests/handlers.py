"""What field_tests does when ingest announces a batch."""

from __future__ import annotations

import logging
from typing import Any

from field_tests.services import analyse_borehole
from field_tests.signals import announce_analysis_changed
from wells.services import touched_boreholes

logger = logging.getLogger(__name__)


def analyse_touched_boreholes(sender: Any, batch: Any, user: Any = None, **kwargs: Any) -> None:
    """ingest.signals.batch_imported: field-test analyses of the boreholes the batch touched.

    Derived data: made after the import is committed, never part of it; the region's recompute
    then reads them (analysis_changed)."""
    drawdown = (batch.region.map_parameters or {}).get("allowed_drawdown_m", {}).get("value")
    made = 0
    for borehole in touched_boreholes(batch):
        try:
            made += analyse_borehole(borehole, drawdown)
        except Exception:  # derived data: a bug here must not undo a committed import
            logger.exception("field-test analysis of %s failed after batch %s", borehole, batch.pk)
    if made:
        announce_analysis_changed(batch.region, user)
