"""What the public sees of a batch, said as the steward's pages say it.

A batch's own flag (`published_at`) is not what anonymous users experience: its rows are public
only when they, the batch, their parent (a borehole, a system) and their region are published
(core.querysets). The upload and batch pages show this sentence instead of the flag, so a
steward never reads "published" about rows nobody outside can see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from ingest import registry
from ingest.models import ImportBatch


@dataclass(frozen=True)
class Publication:
    """`public`: anonymous users see at least part of the batch; `text`: the sentence shown."""

    public: bool
    text: str
    rows: int | None = None  # rows that carry the batch (it wrote them last)
    public_rows: int | None = None  # of those, the ones the public sees


def publication(batch: ImportBatch, count_rows: bool = False) -> Publication:
    """The batch as anonymous users experience it. `count_rows` also counts its rows that the
    public sees (one query per model it writes: the batch page, not the history list)."""
    if batch.state != ImportBatch.State.IMPORTED:
        return Publication(False, _never_public(batch))
    region_published = batch.region.published
    kind = registry.get(batch.kind)
    if kind is not None and not kind.publishable:
        if region_published:
            return Publication(
                True,
                _(
                    "No publication step: the public sees it as soon as it is imported, "
                    "wherever what it belongs to (its region, its system) is published."
                ),
            )
        return Publication(
            False,
            _(
                "Used as soon as imported, but the region is not published, so the public "
                "does not see it."
            ),
        )
    if not batch.is_published:
        return Publication(False, _("Not published: the public does not see its rows."))
    if not region_published:
        return Publication(
            False,
            _("Published, but the region is not published, so the public does not see it."),
        )
    if not count_rows:
        return Publication(True, _("Published: the public sees it."))
    rows, public_rows = _row_counts(batch, kind.models if kind is not None else ())
    if rows == 0:
        return Publication(
            False, _("Published, but later batches changed all of its rows."), rows, public_rows
        )
    if public_rows == rows:
        return Publication(
            True,
            _("Published: the public sees all of its rows (%(rows)s).") % {"rows": rows},
            rows,
            public_rows,
        )
    text = _(
        "Published, but the public sees only %(public)s of its rows (%(rows)s): the others "
        "are not published themselves, or belong to a borehole or system that is not."
    ) % {"public": public_rows, "rows": rows}
    return Publication(public_rows > 0, text, rows, public_rows)


def _never_public(batch: ImportBatch) -> str:
    if batch.state == ImportBatch.State.ROLLED_BACK:
        return _("Rolled back: nothing of it is public.")
    if batch.state == ImportBatch.State.REJECTED:
        return _("Refused: nothing was written, so nothing is public.")
    return _("Not imported yet: nothing of it is public.")


def _row_counts(batch: ImportBatch, kind_models: tuple[type[models.Model], ...]) -> tuple[int, int]:
    """(rows that carry the batch, those the public sees) over the models it writes."""
    rows = public_rows = 0
    for model in kind_models:
        manager: Any = model._default_manager
        names = {f.name for f in model._meta.concrete_fields}
        if "batch" not in names or not hasattr(manager, "public"):
            continue
        mine = manager.filter(batch=batch)
        rows += mine.count()
        public_rows += mine.public().count()
    return rows, public_rows
