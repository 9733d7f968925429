"""ingest announces, it does not call: each change of a batch is sent once its transaction
commits (never before, never for a refusal), and a subscriber that fails neither undoes the
committed batch nor keeps the other subscribers from hearing it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Region
from ingest import service, signals
from ingest.models import ImportBatch
from tests.factories import UserFactory
from tests.wells import files

pytestmark = pytest.mark.django_db

SIGNALS = {
    signals.batch_imported: "imported",
    signals.batch_published: "published",
    signals.batch_withdrawn: "withdrawn",
    signals.batch_rolled_back: "rolled back",
}


@pytest.fixture
def heard() -> Iterator[list[tuple[str, int, Any]]]:
    """What a subscriber hears: (event, batch id, user), in order."""
    log: list[tuple[str, int, Any]] = []

    def receiver(signal: Any, sender: Any, batch: ImportBatch, user: Any, **kwargs: Any) -> None:
        assert sender is ImportBatch
        log.append((SIGNALS[signal], batch.pk, user))

    for signal in SIGNALS:
        signal.connect(receiver, weak=False, dispatch_uid="test-heard")
    yield log
    for signal in SIGNALS:
        signal.disconnect(dispatch_uid="test-heard")


def upload(region: Region, name: str, data: bytes, user: Any) -> ImportBatch:
    batch, _job = service.create_batch(region, "auto", SimpleUploadedFile(name, data), user)
    return batch


def test_each_change_of_a_batch_is_announced_once_it_is_committed(
    gunma, heard, django_capture_on_commit_callbacks
) -> None:
    steward = UserFactory(username="gina")
    batch = upload(gunma, "b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE), steward)
    with django_capture_on_commit_callbacks() as on_commit:
        assert service.run_import(batch).state == ImportBatch.State.IMPORTED
    assert heard == []  # the transaction has not committed yet
    for callback in on_commit:
        callback()
    assert heard == [("imported", batch.pk, steward)]

    with django_capture_on_commit_callbacks(execute=True):
        service.publish_batch(batch, True, steward)
        service.publish_batch(batch, False, steward)
        service.rollback_batch(batch, steward)
    assert heard[1:] == [
        ("published", batch.pk, steward),
        ("withdrawn", batch.pk, steward),
        ("rolled back", batch.pk, steward),
    ]


def test_a_refused_import_or_rollback_announces_nothing(
    gunma, heard, django_capture_on_commit_callbacks
) -> None:
    bad = [list(r) for r in files.YOSHIOKA_BOREHOLE]
    bad[2][bad[0].index("depth")] = -5
    batch = upload(gunma, "bad.csv", files.table_csv(bad), None)
    with django_capture_on_commit_callbacks(execute=True):
        assert service.run_import(batch).state == ImportBatch.State.REJECTED
        with pytest.raises(service.RollbackRefused):
            service.rollback_batch(batch, None)
        with pytest.raises(service.RollbackRefused):
            service.publish_batch(batch)
    assert heard == []


def test_a_failing_subscriber_leaves_the_batch_and_the_other_subscribers_alone(
    gunma, django_capture_on_commit_callbacks, caplog
) -> None:
    heard: list[int] = []

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("a bug in a subscriber")

    def after(batch: ImportBatch, **kwargs: Any) -> None:
        heard.append(batch.pk)

    # Receivers run in the order they connected: the broken one first.
    signals.batch_imported.connect(broken, weak=False, dispatch_uid="test-broken")
    signals.batch_imported.connect(after, weak=False, dispatch_uid="test-after")
    try:
        batch = upload(gunma, "b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE), None)
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            service.run_import(batch)
    finally:
        signals.batch_imported.disconnect(dispatch_uid="test-broken")
        signals.batch_imported.disconnect(dispatch_uid="test-after")
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.IMPORTED
    assert heard == [batch.pk]
    assert "a bug in a subscriber" in caplog.text
