"""Rolling a batch back removes exactly its rows and restores what it replaced."""

from __future__ import annotations

import pytest

from ingest import service
from ingest.models import ImportBatch
from tests.ingest.test_refusals import fingerprint
from tests.wells import files
from wells.models import Borehole, GeologicalLayer, GroundwaterLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def boreholes_batch(import_file) -> ImportBatch:
    batch = import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    assert batch.state == ImportBatch.State.IMPORTED
    return batch


def test_rolling_back_the_last_batch_restores_the_state_before_it(
    import_file, boreholes_batch
) -> None:
    before = fingerprint()
    batch = import_file("levels.csv", files.table_csv(files.YOSHIOKA_LEVELS))
    assert GroundwaterLevel.objects.count() == 6
    service.rollback_batch(batch, None)
    assert fingerprint() == before
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.ROLLED_BACK
    assert batch.rolled_back_at is not None


def test_a_rollback_restores_updated_and_replaced_rows(import_file, boreholes_batch) -> None:
    import_file("column.csv", files.table_csv(files.YOSHIOKA_COLUMN))
    before = fingerprint()
    # A corrected column: the last layer ends at the drilled depth and one layer is dropped.
    corrected = [list(r) for r in files.YOSHIOKA_COLUMN]
    corrected[-1][2] = 51.3
    del corrected[5]
    batch = import_file("column-v2.csv", files.table_csv(corrected))
    assert (batch.created_count, batch.updated_count) == (0, 1)
    assert GeologicalLayer.objects.count() == 6
    service.rollback_batch(batch, None)
    assert fingerprint() == before
    assert GeologicalLayer.objects.order_by("-top_m").first().bottom_m == 53.8


def test_an_earlier_batch_cannot_be_rolled_back_under_a_later_one(
    import_file, boreholes_batch
) -> None:
    levels = import_file("levels.csv", files.table_csv(files.YOSHIOKA_LEVELS))
    with pytest.raises(service.RollbackRefused, match=f"#{levels.pk}"):
        service.rollback_batch(boreholes_batch, None)
    assert Borehole.objects.count() == 1
    assert GroundwaterLevel.objects.count() == 6
    service.rollback_batch(levels, None)
    service.rollback_batch(boreholes_batch, None)
    assert not Borehole.objects.exists()


def test_a_batch_cannot_be_rolled_back_twice(boreholes_batch) -> None:
    service.rollback_batch(boreholes_batch, None)
    with pytest.raises(service.RollbackRefused, match="Only an imported batch"):
        service.rollback_batch(boreholes_batch, None)


def test_an_update_then_rollback_of_a_borehole_restores_its_location(
    import_file, boreholes_batch
) -> None:
    moved = [list(r) for r in files.YOSHIOKA_BOREHOLE]
    moved[2][2], moved[2][3] = 139.02, 36.44
    batch = import_file("b2.csv", files.table_csv(moved))
    assert batch.updated_count == 1
    assert Borehole.objects.get().location.x == 139.02
    service.rollback_batch(batch, None)
    borehole = Borehole.objects.get()
    assert (borehole.location.x, borehole.location.y) == (139.01028, 36.4475)
    assert borehole.batch_id == boreholes_batch.pk
