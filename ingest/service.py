"""Import service: read, validate, and write a survey file all-or-nothing; roll a batch back.

One upload is one ImportBatch and one transaction. Every problem is reported as a RowError
(file, row, field, value, message) and nothing is written if there is any. Re-uploading the
same data updates rows by their natural key; BatchChange keeps what each batch created,
updated or deleted, so a rollback restores exactly the state before it.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import GEOSGeometry
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from core.models import Job, Region
from ingest import readers, registry, sources
from ingest.columns import parse_table
from ingest.errors import RefusedFile, RowError
from ingest.models import BatchChange, ImportBatch
from ingest.registry import Context, Outcome, Record, SurveyKind
from ingest.signals import (
    announce,
    batch_imported,
    batch_published,
    batch_rolled_back,
    batch_withdrawn,
)

logger = logging.getLogger(__name__)
Progress = Callable[[float, str], None]


class Rejected(Exception):
    """Raised inside the import transaction to undo everything; carries the errors."""

    def __init__(self, errors: list[RowError], warnings: list[RowError] | None = None) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors
        self.warnings = warnings or []


class RollbackRefused(Exception):
    """A rollback that would lose or corrupt data; the message says why and what to do."""


def create_batch(
    region: Region,
    kind: str,
    upload: UploadedFile,
    user: Any | None,
    options: dict[str, Any] | None = None,
) -> tuple[ImportBatch, Job]:
    """Store the uploaded file as a pending batch with its Job (the task is queued by the caller).

    `options` are what the steward chose for this upload beyond its kind (a district layer's
    code field, say): the kind reads them from its Context. Files over IMPORT_MAX_BYTES and
    empty files are refused here, before they are stored.
    """
    readers.check_size(upload.size or 0, upload.name or "")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = Job.objects.create(kind="import", region=region, created_by=user)
    batch = ImportBatch(
        region=region,
        kind=kind,
        file_name=upload.name or "upload",
        sha256=digest.hexdigest(),
        size_bytes=upload.size or 0,
        uploaded_by=user,
        job=job,
        options=options or {},
    )
    batch.file.save(batch.file_name, upload, save=False)
    batch.save()
    job.target = batch
    job.save(update_fields=["target_type", "target_id"])
    return batch, job


def import_job(job: Job) -> None:
    """Job service: import the batch the job works on (core.jobs.run_job calls this)."""
    batch = ImportBatch.objects.select_related("region").get(pk=job.target_id)
    run_import(batch, job.set_progress)
    if batch.state == ImportBatch.State.REJECTED:
        job.set_progress(1.0, N_("Refused: nothing was written."))


def run_import(
    batch: ImportBatch, progress: Progress | None = None, announce_it: bool = True
) -> ImportBatch:
    """Validate and write `batch`'s file. The batch ends imported, or rejected with its errors.

    An imported batch is announced (`batch_imported`, after commit): the field-test analyses
    and the map recompute follow from it. `announce_it=False` is for the fixture loader, which
    analyses the region itself and leaves the recompute to `compute_regions`.
    """
    report = progress or (lambda _fraction, _message: None)
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.VALIDATING)
    report(0.1, N_("Reading the file"))
    try:
        with batch.file.open("rb") as handle:
            data = handle.read()
        readers.check_size(len(data), batch.file_name)
        steps = sources.steps_for(data, batch.file_name, batch.kind, batch.region)
        report(0.3, N_("Checking every row"))
        with transaction.atomic():
            counts, warnings = _apply(steps, batch, report)
    except RefusedFile as exc:
        return _reject(batch, [exc.error], [])
    except Rejected as exc:
        return _reject(batch, exc.errors, exc.warnings)
    except IntegrityError as exc:
        # A rule the database enforces that validation missed: still nothing is written.
        error = RowError(
            batch.file_name,
            None,
            "",
            "",
            N_("The database refused the data: %(reason)s"),
            {"reason": str(exc).splitlines()[0][:300]},
        )
        return _reject(batch, [error], [])
    except Exception as exc:
        # A bug, not bad data: the transaction is undone; say so on the batch, then fail the job.
        error = RowError(
            batch.file_name,
            None,
            "",
            "",
            N_("The import failed unexpectedly (%(reason)s); nothing was written."),
            {"reason": f"{type(exc).__name__}: {exc}"[:300]},
        )
        _reject(batch, [error], [])
        raise
    batch.state = ImportBatch.State.IMPORTED
    batch.row_count = counts["rows"]
    batch.created_count = counts["created"]
    batch.updated_count = counts["updated"]
    batch.unchanged_count = counts["unchanged"]
    batch.keep_errors([], warnings)
    batch.finished_at = timezone.now()
    if counts["published"]:
        # The file published rows on import (its `published` column): the batch is published
        # (ingest.models.released_batch_q), as if the steward had pressed Publish.
        batch.published_at = batch.finished_at
    if announce_it:
        # Its rows are committed. In the worker (no transaction open) the subscribers run here,
        # before the batch reads as imported: a steward who sees it imported sees what follows
        # from it too (the field-test analyses). Inside a transaction they run on its commit.
        announce(batch_imported, batch, batch.uploaded_by)
    batch.save()
    return batch


def _reject(batch: ImportBatch, errors: list[RowError], warnings: list[RowError]) -> ImportBatch:
    batch.state = ImportBatch.State.REJECTED
    batch.keep_errors(errors, warnings)
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def _apply(
    steps: list[sources.Step], batch: ImportBatch, report: Progress
) -> tuple[dict[str, int], list[RowError]]:
    """Parse, build and write each step in order, inside the caller's transaction."""
    counts = {"rows": 0, "created": 0, "updated": 0, "unchanged": 0, "published": 0}
    warnings: list[RowError] = []
    for number, step in enumerate(steps, start=1):
        kind = _kind_of(step)
        if not batch.kind or batch.kind == "auto":
            batch.kind = kind.code  # what was detected, for the history
        ctx = Context(
            region=batch.region,
            file_name=step.file_name,
            options=batch.options or {},
            refs=kind.context(batch.region) if kind.context else None,
        )
        if step.table is None:  # a kind that reads its own file shape
            assert kind.parse is not None
            outcome: Outcome = kind.parse(step.data, ctx)
            errors = outcome.errors
            warnings += outcome.warnings
            rows = len(outcome.records)
        else:
            assert kind.build is not None
            parsed = parse_table(step.table, kind.columns, batch.region.time_zone)
            if any(e.row in (None, readers.UNIT_ROW) for e in parsed.errors):
                # A column missing, or its unit refused: it has no values to build records from.
                raise Rejected(parsed.errors, warnings + parsed.warnings)
            outcome = kind.build(parsed, ctx)
            errors = parsed.errors + outcome.errors
            warnings += parsed.warnings + outcome.warnings
            rows = len(step.table.frame)
        if errors:
            raise Rejected(errors, warnings)
        report(0.3 + 0.6 * number / len(steps), N_("Writing the rows"))
        step_counts = _write(outcome, batch)
        counts["rows"] += rows
        for key in ("created", "updated", "unchanged", "published"):
            counts[key] += step_counts[key]
    return counts, warnings


def _kind_of(step: sources.Step) -> SurveyKind:
    """The registered kind of a step: the one chosen, or the one its columns match."""
    code = step.kind
    if code is None and step.table is not None:
        code = registry.detect_kind(step.table.columns)
    kind = registry.get(code or "")
    if kind is None or not kind.importable:
        columns = ", ".join(step.table.columns)[:200] if step.table is not None else ""
        raise Rejected(
            [
                RowError(
                    step.file_name,
                    readers.HEADER_ROW,
                    "",
                    columns,
                    N_("The columns match no survey kind; start from a template."),
                )
            ]
        )
    return kind


# --- writing ----------------------------------------------------------------------------------


def _normalised(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in values.items():
        if name == "region":
            out["region_id"] = value.pk
            continue
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        out[name] = value
    return out


def _same(current: Any, new: Any) -> bool:
    if current is None or new is None:
        return current is None and new is None
    if isinstance(current, GEOSGeometry):
        return isinstance(new, GEOSGeometry) and current.equals_exact(new, 1e-9)
    return bool(current == new)


def _dump(value: Any) -> Any:
    """A field value as JSON (for BatchChange.previous)."""
    if isinstance(value, GEOSGeometry):
        return value.ewkt
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _load(model: type[models.Model], name: str, value: Any) -> Any:
    """A BatchChange value back as the field's Python value."""
    field = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
    if value is None or name.endswith("_id"):
        return value
    if hasattr(field, "geom_type"):
        return GEOSGeometry(value)
    return field.to_python(value)


def _write(outcome: Outcome, batch: ImportBatch) -> dict[str, int]:
    """Write the outcome's records; counts of rows created, updated, unchanged, and of those
    created or updated that the file published (its `published` column)."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "published": 0}
    by_model: dict[type[models.Model], list[Record]] = defaultdict(list)
    for record in outcome.records:
        by_model[record.model].append(record)
    changes: list[BatchChange] = []
    kept: dict[type[models.Model], set[int]] = defaultdict(set)
    for model, records in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        keys = [_normalised(r.key) for r in records]
        existing = _existing(model, keys)
        to_create: list[dict[str, Any]] = []
        stamps = _stamps(model)
        to_update, update_fields = [], set(stamps)
        for key, record in zip(keys, records, strict=True):
            values = _normalised(record.values)
            current = existing.get(_key_tuple(key))
            if current is None:
                to_create.append({**key, **values})
                counts["published"] += values.get("published") is True
                continue
            kept[model].add(current.pk)
            changed = [n for n, v in values.items() if not _same(getattr(current, n), v)]
            if not changed:
                counts["unchanged"] += 1
                continue
            previous = {n: _dump(getattr(current, n)) for n in [*changed, *stamps]}
            for name in changed:
                setattr(current, name, values[name])
            if "batch_id" in stamps:
                current.batch_id = batch.pk
            if "updated_at" in stamps:
                current.updated_at = timezone.now()
            update_fields.update(changed)
            to_update.append(current)
            counts["published"] += values.get("published") is True
            changes.append(
                BatchChange(
                    batch=batch,
                    content_type=content_type,
                    object_id=current.pk,
                    action="updated",
                    previous=previous,
                )
            )
        created_ids = _insert(model, to_create, batch)
        if to_update:
            model.objects.bulk_update(to_update, sorted(update_fields), batch_size=2000)
        counts["created"] += len(created_ids)
        counts["updated"] += len(to_update)
        if created_ids:
            changes.append(
                BatchChange(
                    batch=batch, content_type=content_type, action="created", object_ids=created_ids
                )
            )
        kept[model].update(created_ids)
    for model, parent_field, parent_ids in outcome.replaces:
        stale = model.objects.filter(**{f"{parent_field}__in": parent_ids}).exclude(
            pk__in=kept[model]
        )
        content_type = ContentType.objects.get_for_model(model)
        for row in stale:
            changes.append(
                BatchChange(
                    batch=batch,
                    content_type=content_type,
                    object_id=row.pk,
                    action="deleted",
                    previous=_all_fields(row),
                )
            )
        stale.delete()
    BatchChange.objects.bulk_create(changes, batch_size=5000)
    return counts


def _stamps(model: type[models.Model]) -> list[str]:
    """The bookkeeping fields an update sets, of those `model` has (survey records have both;
    a district or a building-stock row neither)."""
    names = {f.attname for f in model._meta.concrete_fields}
    return [name for name in ("batch_id", "updated_at") if name in names]


def _insert(model: type[models.Model], rows: list[dict[str, Any]], batch: ImportBatch) -> list[int]:
    """Insert `rows` (field values by attname) stamped with `batch`; return their ids in order.

    Models with a geometry go through bulk_create (GeoDjango adapts the geometry). The others,
    where a file's bulk is (levels, logs, chemistry), are streamed with PostgreSQL COPY after
    taking their ids from the table's sequence: 5-10 times faster than INSERT batches.
    """
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if any(hasattr(f, "geom_type") for f in fields):
        stamp = {"batch_id": batch.pk} if "batch_id" in _stamps(model) else {}
        objects = [model(**row, **stamp) for row in rows]
        return [o.pk for o in model.objects.bulk_create(objects, batch_size=2000)]
    now = timezone.now()
    table = model._meta.db_table
    pk_column = model._meta.pk.column
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk_column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(
            connection.ops.quote_name(c) for c in [pk_column, *(f.column for f in fields)]
        )
        prepare = [_copy_value(f, batch, now) for f in fields]
        statement = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row([pk, *(value(row) for value in prepare)])
    return ids


def _copy_value(
    field: models.Field, batch: ImportBatch, now: datetime
) -> Callable[[dict[str, Any]], Any]:
    """A function giving `field`'s database value for a row (defaults and stamps filled in)."""
    name = field.attname
    if name == "batch_id":
        return lambda _row: batch.pk
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda _row: now
    default = field.get_default() if field.has_default() else None
    if isinstance(field, models.JSONField):  # needs psycopg's Jsonb wrapper

        def as_json(row: dict[str, Any]) -> Any:
            return field.get_db_prep_save(row.get(name, default), connection)

        return as_json
    # Numbers, text, booleans, ids, aware datetimes and lists go to psycopg as they are.
    return lambda row: row.get(name, default)


def _all_fields(row: models.Model) -> dict[str, Any]:
    return {f.attname: _dump(getattr(row, f.attname)) for f in row._meta.concrete_fields}


def _key_tuple(key: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted((k, v) for k, v in key.items()))


def _existing(model: type[models.Model], keys: list[dict[str, Any]]) -> dict[tuple[Any, ...], Any]:
    """Rows already stored under any of `keys`, by key tuple (one query per parent set)."""
    if not keys:
        return {}
    fields = list(keys[0])
    # Narrowed by the parents in the keys (the region, the borehole, the district).
    scope: dict[str, Iterable[Any]] = {
        f"{name}__in": {k[name] for k in keys} for name in fields if name.endswith("_id")
    }
    rows = model.objects.filter(**scope)
    return {_key_tuple({f: getattr(row, f) for f in fields}): row for row in rows}


# --- rollback ---------------------------------------------------------------------------------


def rollback_batch(batch: ImportBatch, user: Any | None) -> None:
    """Undo an imported batch exactly: delete what it created, restore what it changed.

    Refused (RollbackRefused) when a later batch changed the same rows or added rows that hang
    on rows this batch created: roll the later batch back first.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ImportBatch.State.IMPORTED:
            raise RollbackRefused(N_("Only an imported batch can be rolled back."))
        mine = BatchChange.objects.filter(batch=batch)
        later = _later_batches_touching(batch)
        blocking = sorted(set(later) | _dependent_batches(batch))
        if blocking:
            raise RollbackRefused(
                N_("Later batches (%(batches)s) changed these rows; roll them back first.")
                % {"batches": ", ".join(f"#{pk}" for pk in blocking)}
            )
        kind = registry.get(batch.kind)
        if kind is not None and kind.on_rollback is not None:
            kind.on_rollback(batch)  # what the kind wrote outside BatchChange (series readings)
        changes = list(mine.select_related("content_type"))
        _restore_deleted(changes)
        _restore_updated(changes)
        _delete_created(changes)
        batch.state = ImportBatch.State.ROLLED_BACK
        batch.rolled_back_at = timezone.now()
        batch.rolled_back_by = user
        batch.save(update_fields=["state", "rolled_back_at", "rolled_back_by"])
        announce(batch_rolled_back, batch, user)


# Later imported batches whose updates or deletions hit rows this batch created, updated or
# deleted (created rows are in `object_ids`, the others in `object_id`).
_LATER_BATCHES_SQL = """
SELECT DISTINCT later.batch_id
FROM core_batchchange later
JOIN core_importbatch other ON other.id = later.batch_id
WHERE other.state = 'imported' AND other.created_at > %(created_at)s AND other.id <> %(batch)s
  AND later.object_id IS NOT NULL
  AND EXISTS (
    SELECT 1 FROM core_batchchange mine
    WHERE mine.batch_id = %(batch)s AND mine.content_type_id = later.content_type_id
      AND (mine.object_id = later.object_id OR later.object_id = ANY(mine.object_ids))
  )
"""


# PostgreSQL takes at most 65 535 parameters per statement: long id lists go in chunks.
ID_CHUNK = 10_000


def chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]


def _later_batches_touching(batch: ImportBatch) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(_LATER_BATCHES_SQL, {"created_at": batch.created_at, "batch": batch.pk})
        return {row[0] for row in cursor.fetchall()}


def _created_ids(batch: ImportBatch, model: type[models.Model]) -> list[int]:
    arrays = BatchChange.objects.filter(
        batch=batch, action="created", content_type=ContentType.objects.get_for_model(model)
    ).values_list("object_ids", flat=True)
    return [pk for ids in arrays for pk in ids or []]


def _dependent_batches(batch: ImportBatch) -> set[int]:
    """Other batches whose rows hang on rows this batch created: deleting these would cascade
    their rows away (a borehole's levels, a district's building stock)."""
    survey_models = set(registry.deletion_order())
    found: set[int] = set()
    for model in {c.content_type.model_class() for c in _created_changes(batch)} - {None}:
        created = _created_ids(batch, model)
        for relation in model._meta.related_objects:
            child = relation.related_model
            if child not in survey_models or relation.on_delete is not models.CASCADE:
                continue
            for chunk in chunks(created):
                children = child.objects.filter(**{f"{relation.field.name}_id__in": chunk})
                if "batch_id" in _stamps(child):
                    found |= set(
                        children.exclude(batch=batch)
                        .exclude(batch=None)
                        .values_list("batch_id", flat=True)
                    )
                else:  # no batch column: the batches that created or updated them say so
                    found |= _batches_writing(child, list(children.values_list("pk", flat=True)))
    found.discard(batch.pk)
    return found


def _created_changes(batch: ImportBatch) -> QuerySet[BatchChange]:
    return BatchChange.objects.filter(batch=batch, action="created").select_related("content_type")


def _batches_writing(model: type[models.Model], ids: list[int]) -> set[int]:
    """Imported batches that created or updated any of `model`'s rows `ids`."""
    if not ids:
        return set()
    changes = BatchChange.objects.filter(
        batch__state=ImportBatch.State.IMPORTED,
        content_type=ContentType.objects.get_for_model(model),
    )
    return set(
        changes.filter(Q(object_ids__overlap=ids) | Q(object_id__in=ids, action="updated"))
        .values_list("batch_id", flat=True)
        .distinct()
    )


def _restore_deleted(changes: list[BatchChange]) -> None:
    for change in changes:
        if change.action == "deleted":
            model = change.content_type.model_class()
            values = {k: _load(model, k, v) for k, v in (change.previous or {}).items()}
            row = model.objects.create(**values)
            # create() stamps auto_now(_add) fields; put the stored times back as they were.
            stamps = {k: values[k] for k in ("created_at", "updated_at") if k in values}
            model.objects.filter(pk=row.pk).update(**stamps)


def _restore_updated(changes: list[BatchChange]) -> None:
    for change in changes:
        if change.action == "updated":
            model = change.content_type.model_class()
            values = {k: _load(model, k, v) for k, v in (change.previous or {}).items()}
            model.objects.filter(pk=change.object_id).update(**values)


def _delete_created(changes: list[BatchChange]) -> None:
    created: dict[type[models.Model], list[int]] = defaultdict(list)
    for change in changes:
        if change.action == "created":
            created[change.content_type.model_class()].extend(change.object_ids or [])
    order = registry.deletion_order()
    # Children first (the registry's order); a model no kind declares any more goes last.
    for model in sorted(created, key=lambda m: order.index(m) if m in order else len(order)):
        for chunk in chunks(created[model]):
            model.objects.filter(pk__in=chunk).delete()


def publish_batch(
    batch: ImportBatch, published: bool = True, user: Any | None = None, announce_it: bool = True
) -> int:
    """Publish (or withdraw) every row the batch created or updated; returns how many.

    Announced after commit (`batch_published` or `batch_withdrawn`): published rows are what
    the maps are made of. `announce_it=False` is for the fixture loader (see run_import).
    """
    if batch.state != ImportBatch.State.IMPORTED:
        raise RollbackRefused(N_("Only an imported batch can be published."))
    kind = registry.get(batch.kind)
    if kind is not None and not kind.publishable:
        raise RollbackRefused(N_("The rows of this kind of file are used as soon as imported."))
    count = 0
    with transaction.atomic():
        changes = BatchChange.objects.filter(batch=batch, action__in=["created", "updated"])
        by_type: dict[int, list[int]] = defaultdict(list)
        for content_type_id, object_id, object_ids in changes.values_list(
            "content_type_id", "object_id", "object_ids"
        ):
            by_type[content_type_id].extend(object_ids or [object_id])
        for content_type_id, ids in by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            for chunk in chunks(ids):
                count += model.objects.filter(pk__in=chunk).update(published=published)
        batch.published_at = timezone.now() if published else None
        batch.save(update_fields=["published_at"])
        if announce_it:
            announce(batch_published if published else batch_withdrawn, batch, user)
    return count


def change_summary(batch: ImportBatch) -> list[dict[str, Any]]:
    """Per model: how many rows the batch created, updated and deleted (for the batch page)."""
    summary: dict[int, dict[str, Any]] = {}
    for change in BatchChange.objects.filter(batch=batch).select_related("content_type"):
        row = summary.setdefault(
            change.content_type_id,
            {
                "model": change.content_type.model_class()._meta.verbose_name,
                "created": 0,
                "updated": 0,
                "deleted": 0,
            },
        )
        row[change.action] += len(change.object_ids or []) if change.action == "created" else 1
    return list(summary.values())
