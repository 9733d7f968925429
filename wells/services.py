"""Services of wells beyond the import (which ingest runs with wells' survey kinds)."""

from __future__ import annotations

from ingest.models import BatchChange, ImportBatch
from ingest.service import chunks
from wells.models import Borehole


def touched_boreholes(batch: ImportBatch) -> list[Borehole]:
    """The boreholes whose record the batch changed: created, updated, or given new rows."""
    ids: set[int] = set()
    for change in BatchChange.objects.filter(batch=batch).select_related("content_type"):
        model = change.content_type.model_class()
        rows = change.object_ids if change.action == "created" else [change.object_id]
        if model is Borehole:
            ids.update(rows or [])
        elif change.action != "deleted" and hasattr(model, "borehole"):
            for chunk in chunks(list(rows or [])):
                ids.update(model.objects.filter(pk__in=chunk).values_list("borehole_id", flat=True))
        elif change.action == "deleted":
            ids.add((change.previous or {}).get("borehole_id"))
    ids.discard(None)
    return list(Borehole.objects.filter(pk__in=ids).select_related("region").order_by("code"))


def batch_boreholes(batch: ImportBatch) -> dict[str, object] | None:
    """The batch page's list of the boreholes a batch changed (a panel wells adds to it)."""
    boreholes = touched_boreholes(batch)[:500]
    return {"boreholes": boreholes} if boreholes else None
