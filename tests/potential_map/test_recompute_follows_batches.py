"""The maps follow what they are made of, through the announcements of ingest and field_tests:
an import, a publication, a withdrawal and a rollback of a batch each queue the region's
recompute (a rollback used to leave the maps stale), as does a steward's refit; a batch of
something the maps do not read (a building-stock table) does not.

The first tests look at the queued job (the page's transaction committed, its announcements
handled); the last two follow a rollback and a withdrawal through to the maps on the worker.
"""

from __future__ import annotations

import importlib
import json
import time

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import District, Job, Region
from ingest import service
from ingest.models import ImportBatch
from potential_map.choices import LayerKind
from potential_map.models import MapLayer
from tests.core.test_celery_roundtrip import wait_for
from tests.factories import RegionFactory, UserFactory, square
from tests.ingest import conftest as ingest_fixtures
from tests.wells import files

# Gunma with its real outline, and an import as the worker runs it (announcements handled).
gunma = ingest_fixtures.gunma
import_file = ingest_fixtures.import_file


def queued_recomputes(region: Region) -> list[Job]:
    return list(Job.objects.filter(kind="recompute", region=region, state=Job.State.QUEUED))


def as_if_the_worker_ran_them(region: Region) -> None:
    """A queued recompute is shared by whatever comes next: end the ones there are, so the
    next request shows as a job of its own."""
    Job.objects.filter(kind="recompute", region=region).update(state=Job.State.SUCCEEDED)


@pytest.fixture
def steward(gunma):  # type: ignore[no-untyped-def]
    user = UserFactory(username="gina")
    user.groups.add(gunma.steward_group)
    return user


@pytest.fixture
def yoshioka(import_file) -> tuple[ImportBatch, ImportBatch]:
    boreholes = import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    column = import_file("c.csv", files.table_csv(files.published(files.YOSHIOKA_COLUMN)))
    assert (boreholes.state, column.state) == ("imported", "imported")
    return boreholes, column


@pytest.mark.django_db
def test_an_import_queues_the_recompute(gunma, import_file) -> None:
    batch = import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    assert batch.state == "imported"
    assert len(queued_recomputes(gunma)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "data"),
    [("ingest:batch-rollback", {}), ("ingest:batch-publish", {"published": "0"})],
    ids=["rollback", "withdrawal"],
)
def test_a_rollback_and_a_withdrawal_each_queue_the_recompute(
    client, steward, yoshioka, django_capture_on_commit_callbacks, action, data
) -> None:
    _boreholes, column = yoshioka
    region = column.region
    as_if_the_worker_ran_them(region)
    client.force_login(steward)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse(action, args=[column.pk]), data).status_code == 302
    (job,) = queued_recomputes(region)
    assert job.created_by == steward


@pytest.mark.django_db
def test_publishing_queues_the_recompute(
    client, steward, yoshioka, django_capture_on_commit_callbacks
) -> None:
    boreholes, _column = yoshioka
    as_if_the_worker_ran_them(boreholes.region)
    client.force_login(steward)
    with django_capture_on_commit_callbacks(execute=True):
        url = reverse("ingest:batch-publish", args=[boreholes.pk])
        assert client.post(url, {"published": "1"}).status_code == 302
    (job,) = queued_recomputes(boreholes.region)
    assert job.created_by == steward


@pytest.mark.django_db
def test_a_refused_rollback_queues_nothing(
    client, steward, yoshioka, django_capture_on_commit_callbacks
) -> None:
    boreholes, _column = yoshioka  # the column hangs on the borehole: refused
    as_if_the_worker_ran_them(boreholes.region)
    client.force_login(steward)
    with django_capture_on_commit_callbacks(execute=True):
        url = reverse("ingest:batch-rollback", args=[boreholes.pk])
        assert client.post(url).status_code == 409
    assert queued_recomputes(boreholes.region) == []


@pytest.mark.django_db
def test_districts_queue_the_recompute_and_building_stock_does_not(
    gunma,
    steward,
    django_capture_on_commit_callbacks,
) -> None:
    """District outlines feed the rules by municipality (the constraint layers); the building
    stock feeds only the district comparison."""
    District.objects.create(region=gunma, code="10464", geometry=square(139.0, 36.44, 0.04))

    def upload(kind: str, name: str, data: bytes, **options: str) -> ImportBatch:
        batch, _job = service.create_batch(
            gunma, kind, SimpleUploadedFile(name, data), steward, options
        )
        with django_capture_on_commit_callbacks(execute=True):
            service.run_import(batch)
        assert batch.state == "imported", batch.errors
        return batch

    stock = b"district_code,use,floor_area_m2,source\n10464,office,5000,survey\n"
    upload("building_stock", "s.csv", stock)
    assert queued_recomputes(gunma) == []
    ring = [[139.0, 36.44], [139.03, 36.44], [139.03, 36.47], [139.0, 36.44]]
    layer = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "10464", "name": "Yoshioka"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    upload("districts", "d.geojson", json.dumps(layer).encode())
    assert len(queued_recomputes(gunma)) == 1


@pytest.mark.django_db
def test_a_refit_queues_the_recompute(
    client,
    steward,
    import_file,
    django_capture_on_commit_callbacks,
) -> None:
    from field_tests.models import FieldTestAnalysis
    from tests.field_tests.test_service import beier_csv

    import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    import_file("trt.csv", beier_csv())
    analysis = FieldTestAnalysis.objects.get(kind="trt")
    as_if_the_worker_ran_them(analysis.borehole.region)
    client.force_login(steward)
    window = {"window_start_h": "5", "window_end_h": "51.7"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("field_tests:refit", args=[analysis.pk]), window)
    assert FieldTestAnalysis.objects.filter(kind="trt").count() == 2  # the refit was made
    (job,) = queued_recomputes(analysis.borehole.region)
    assert job.created_by == steward


# --- on the worker: the maps themselves follow -----------------------------------------------


@pytest.fixture
def small_region(celery_worker_process) -> Region:
    """Around Yoshioka, 2 km cells: a recompute takes a moment. Transactional tests flush the
    seeded lithology properties: put back what the migration seeds."""
    seed = importlib.import_module("geology.migrations.0003_seed_lithology_thermal_properties")
    seed.seed(apps, None)
    return RegionFactory(
        code="follows",
        boundary=square(139.0, 36.4, 0.1),
        raster_crs_epsg=32654,
        time_zone="Asia/Tokyo",
    )


def settled(region: Region, timeout_s: float = 180.0) -> None:
    """Until no recompute of `region` is queued or running; each one that ran succeeded."""
    deadline = time.monotonic() + timeout_s
    pending = Job.objects.filter(
        kind="recompute", region=region, state__in=(Job.State.QUEUED, Job.State.RUNNING)
    )
    while pending.exists():
        assert time.monotonic() < deadline, list(pending.values_list("pk", "state", "log"))
        time.sleep(0.1)
    failed = Job.objects.filter(kind="recompute", region=region, state=Job.State.FAILED)
    assert not failed.exists(), list(failed.values_list("message", flat=True))


def conductivity(region: Region) -> MapLayer:
    return MapLayer.objects.get(region=region, kind=LayerKind.CONDUCTIVITY, is_current=True)


def imported_on_the_worker(region: Region) -> tuple[MapLayer, ImportBatch]:
    """The Yoshioka borehole and its published column, imported (here, as the worker would:
    each import announces itself and the worker recomputes); the maps settled."""
    batches = []
    for name, table in (
        ("b.csv", files.YOSHIOKA_BOREHOLE),
        ("c.csv", files.published(files.YOSHIOKA_COLUMN)),
    ):
        batch, _job = service.create_batch(
            region, "auto", SimpleUploadedFile(name, files.table_csv(table)), None
        )
        assert service.run_import(batch).state == "imported", batch.errors
        batches.append(batch)
    settled(region)
    layer = conductivity(region)
    assert layer.inputs["borehole_count"] == 1  # YOS-1's column gives λ
    assert batches[1].pk in set(layer.input_batches.values_list("pk", flat=True))
    return layer, batches[1]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_after_a_rollback_the_maps_no_longer_use_the_rolled_back_rows(client, small_region) -> None:
    before, column = imported_on_the_worker(small_region)
    steward = UserFactory(username="rolly")
    steward.groups.add(small_region.steward_group)
    client.force_login(steward)
    assert client.post(reverse("ingest:batch-rollback", args=[column.pk])).status_code == 302
    job = Job.objects.get(kind="recompute", region=small_region, created_by=steward)
    wait_for(job, timeout_s=180)
    assert job.state == Job.State.SUCCEEDED, job.message
    after = conductivity(small_region)
    assert after.version > before.version
    assert after.inputs["borehole_count"] == 0  # the column is gone
    assert column.pk not in set(after.input_batches.values_list("pk", flat=True))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_after_a_withdrawal_the_maps_no_longer_use_the_withdrawn_rows(client, small_region) -> None:
    before, column = imported_on_the_worker(small_region)
    steward = UserFactory(username="wendy")
    steward.groups.add(small_region.steward_group)
    client.force_login(steward)
    url = reverse("ingest:batch-publish", args=[column.pk])
    assert client.post(url, {"published": "0"}).status_code == 302
    job = Job.objects.get(kind="recompute", region=small_region, created_by=steward)
    wait_for(job, timeout_s=180)
    assert job.state == Job.State.SUCCEEDED, job.message
    after = conductivity(small_region)
    assert after.version > before.version
    assert after.inputs["borehole_count"] == 0  # the column is no longer public
