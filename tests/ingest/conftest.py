from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Region
from ingest import service
from ingest.models import ImportBatch
from tests.factories import RegionFactory


@pytest.fixture
def gunma(db: None, gunma_outline: MultiPolygon) -> Region:
    """Gunma with its real outline (MLIT N03), so Yoshioka's coordinates fall inside."""
    return RegionFactory(
        code="gunma",
        name_en="Gunma",
        name_ja="群馬県",
        boundary=gunma_outline,
        raster_crs_epsg=32654,
        time_zone="Asia/Tokyo",
    )


ImportFile = Callable[..., ImportBatch]


@pytest.fixture
def import_file(gunma: Region, django_capture_on_commit_callbacks) -> ImportFile:
    """Import bytes as a steward would (the service the Celery task calls), synchronously.

    The import's announcement (batch_imported, sent on commit) is handled too, as in the worker,
    whose import commits: the field-test analyses are made and the recompute is queued."""

    def run(name: str, data: bytes, kind: str = "auto", region: Region | None = None):
        batch, _job = service.create_batch(
            region or gunma, kind, SimpleUploadedFile(name, data), None
        )
        with django_capture_on_commit_callbacks(execute=True):
            return service.run_import(batch)

    return run
