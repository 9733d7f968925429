"""The survey kinds a steward can upload, registered by the apps that own their models.

Each app declares its kinds in its own `survey_kinds.py` and registers them from its
`AppConfig.ready()` (NetBox's manner: the bulk importer belongs to no domain app). ingest reads,
checks, writes, publishes and rolls back every kind the same way and names none of them: a kind
says which models it writes (which also gives the order a rollback deletes in), what it looks up
before building its records, and what else a rollback of it must undo.

Apps may also add a part to the steward's pages (a borehole list on the batch page, a button on
the upload page) with `register_panel`, so the pages show what the apps above ingest know.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from ingest.columns import Column, Parsed
from ingest.errors import RowError

if TYPE_CHECKING:
    from core.models import Region
    from ingest.models import ImportBatch


@dataclass
class Record:
    """One row to write: model, natural key, values; `row` is the first file row behind it."""

    model: type[models.Model]
    key: dict[str, Any]
    values: dict[str, Any]
    row: int


@dataclass
class Context:
    """What a kind builds its records with besides the table.

    `options` are the steward's choices for this upload (ImportBatch.options); `refs` is what the
    kind's own `context` looked up before building (the region's boreholes by code, say).
    """

    region: Region
    file_name: str
    options: dict[str, Any] = field(default_factory=dict)
    refs: Any = None


@dataclass
class Outcome:
    records: list[Record]
    errors: list[RowError]
    warnings: list[RowError]
    # Children whose set is replaced by the file: (model, parent field, parent ids)
    replaces: list[tuple[type[models.Model], str, set[int]]] = field(default_factory=list)


@dataclass(frozen=True)
class SurveyKind:
    """One kind of survey file.

    A table kind has `columns` (its template) and `build` (records from the parsed table); a kind
    whose files are not in the template shape reads them itself with `parse`. A kind with
    neither is imported by its app's own job (a monitoring series) and registered for its label
    and its rollback.
    """

    code: str
    label: str  # msgid, translated when shown
    models: tuple[type[models.Model], ...]  # what it writes
    columns: tuple[Column, ...] = ()
    build: Callable[[Parsed, Context], Outcome] | None = None
    parse: Callable[[bytes, Context], Outcome] | None = None
    context: Callable[[Region], Any] | None = None  # -> Context.refs, built before each file
    on_rollback: Callable[[ImportBatch], object] | None = None  # inside the rollback transaction
    # Offered on the generic upload page, with a template, and detected from a file's columns;
    # kinds uploaded on their own app's page (which asks what they need) are not.
    offered: bool = True
    publishable: bool = True  # its rows carry a `published` flag
    # column -> free text to one of the column's choices, for readers of formats that give only
    # a name (a Kunijiban boring log names its soils in Japanese).
    classifiers: Mapping[str, Callable[[str], str | None]] = field(default_factory=dict)
    description: str = ""

    @property
    def importable(self) -> bool:
        """The generic import service can read and write it."""
        return self.build is not None or self.parse is not None


_KINDS: dict[str, SurveyKind] = {}


def register(kind: SurveyKind) -> SurveyKind:
    """Make `kind` uploadable. A code is registered once (ready() may run again: same kind)."""
    if kind.columns and kind.build is None:
        raise ImproperlyConfigured(f"survey kind {kind.code!r} has columns but no build function")
    known = _KINDS.get(kind.code)
    if known is not None and known is not kind:
        raise ImproperlyConfigured(f"survey kind {kind.code!r} is registered twice")
    _KINDS[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    """Forget a kind (tests register kinds of their own)."""
    _KINDS.pop(code, None)


def get(code: str) -> SurveyKind | None:
    return _KINDS.get(code)


def kinds(offered: bool | None = None) -> list[SurveyKind]:
    """Registered kinds in registration order; `offered=True`: those of the upload page."""
    return [k for k in _KINDS.values() if offered is None or k.offered == offered]


def detect_kind(columns: Iterable[str]) -> str | None:
    """The offered kind whose required columns are all present and which matches the most."""
    present = set(columns)
    scored = []
    for kind in kinds(offered=True):
        if not kind.columns:
            continue
        required = {c.name for c in kind.columns if c.required}
        if required <= present:
            scored.append(
                (len(present & {c.name for c in kind.columns}), -len(required), kind.code)
            )
    return max(scored)[2] if scored else None


def classify(code: str, column: str, text: str) -> str | None:
    """`text` as one of `column`'s choices by kind `code`'s classifier; None if it has none."""
    kind = _KINDS.get(code)
    classifier = kind.classifiers.get(column) if kind else None
    return classifier(text) if classifier else None


def deletion_order() -> list[type[models.Model]]:
    """Every registered model, children before the parents they point at (a rollback deletes
    in this order, so no parent goes before its children); otherwise in registration order."""
    registered: list[type[models.Model]] = []
    for kind in _KINDS.values():
        registered += [m for m in kind.models if m not in registered]
    parents = {
        model: {
            f.related_model
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in registered and f.related_model is not model
        }
        for model in registered
    }
    ordered: list[type[models.Model]] = []
    while len(ordered) < len(registered):
        # The first model that nothing left still points at (a cycle: the first one left).
        left = [m for m in registered if m not in ordered]
        pointed_at = {p for m in left for p in parents[m]}
        ordered.append(next((m for m in left if m not in pointed_at), left[0]))
    return ordered


# --- parts of the steward's pages that other apps add ----------------------------------------

Page = Literal["upload", "batch"]


@dataclass(frozen=True)
class Panel:
    """A template an app adds to an ingest page, with the context it renders with.

    `context` gets the page's object (the region on "upload", the batch on "batch") and returns
    the template's context, or None to leave the panel out.
    """

    template: str
    context: Callable[[Any], Mapping[str, Any] | None]


_PANELS: dict[str, list[Panel]] = {"upload": [], "batch": []}


def register_panel(page: Page, template: str, context: Callable[[Any], Any]) -> None:
    panel = Panel(template, context)
    if panel not in _PANELS[page]:
        _PANELS[page].append(panel)


def panels(page: Page) -> list[Panel]:
    return list(_PANELS[page])
