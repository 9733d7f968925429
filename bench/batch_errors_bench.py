"""A 100 000-row junk upload (issue #19): how long its batch page takes, and how many bytes of
errors the batch stores. Baseline in the same run: the page of a batch with ten errors.

Every row is wrong in several fields, so the import finds some 400 000 problems; the batch
keeps the first 1 000 in full and counts the rest by field and message. Runs the import service
directly against the development database in a throw-away region (removed at the end); the
page is fetched through Django's test client as the region's steward.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.contrib.gis.geos import MultiPolygon, Polygon  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench._report import record  # noqa: E402
from core.models import Job, Region  # noqa: E402
from ingest import service  # noqa: E402
from ingest.models import ImportBatch  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
REQUESTS = 20


def junk(rows: int) -> bytes:
    lines = ["borehole_code,measured_at,depth_to_water,aquifer", ",,m,"]
    lines += [f"NOPE-{n},yesterday,deep,{'x' * 300}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def stored_bytes(batch: ImportBatch) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT octet_length(errors::text) + octet_length(warnings::text)"
            " + octet_length(omitted::text) FROM core_importbatch WHERE id = %s",
            [batch.pk],
        )
        return int(cursor.fetchone()[0])


def page_ms(client: Client, batch: ImportBatch) -> list[float]:
    url = reverse("ingest:batch", args=[batch.pk])
    client.get(url)  # warm: templates, translations
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def main() -> None:
    setup_test_environment()  # the test client's hooks (no e-mail or other side effects)
    ring = ((139.0, 36.4), (139.1, 36.4), (139.1, 36.5), (139.0, 36.5), (139.0, 36.4))
    region = Region.objects.create(
        code="bench-errors",
        name_en="Bench",
        boundary=MultiPolygon(Polygon(ring), srid=4326),
        raster_crs_epsg=32654,
        currency="JPY",
        time_zone="Asia/Tokyo",
    )
    steward = User.objects.create_user("bench-errors-steward", password="x")
    steward.groups.add(region.steward_group)
    batches = []
    try:
        for name, rows in (("small.csv", 10), ("junk.csv", ROWS)):
            batch, _job = service.create_batch(
                region, "auto", SimpleUploadedFile(name, junk(rows)), None
            )
            start = time.perf_counter()
            service.run_import(batch, announce_it=False)
            batch.refresh_from_db()
            batches.append((batch, time.perf_counter() - start))
        client = Client()
        client.force_login(steward)
        (small, _s), (big, import_s) = batches
        baseline = page_ms(client, small)
        times = page_ms(client, big)
        median, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
        base = statistics.median(baseline)
        size = stored_bytes(big)
        print(f"junk upload of {ROWS} rows: {big.total_errors} problems, import {import_s:.1f} s")
        print(f"{'what':44} {'value':>12}")
        print(f"{'stored errors (goal < 1 MB)':44} {size:>10} B")
        print(f"{'batch page median, ms (goal < 300)':44} {median:12.1f}")
        print(f"{'batch page p95, ms':44} {p95:12.1f}")
        print(f"{'page of a 10-row batch (baseline), ms':44} {base:12.1f}")
        print(f"{'ratio median / baseline':44} {median / base:12.2f}")
        record("batch_errors", "stored errors of a 100k-row junk file", size, "B", goal="< 1000000")
        record(
            "batch_errors",
            "batch page median",
            median,
            "ms",
            baseline="10-row batch page",
            baseline_value=base,
            goal="< 300",
        )
        record("batch_errors", "batch page p95", p95, "ms")
    finally:
        jobs = list(ImportBatch.objects.filter(region=region).values_list("job_id", flat=True))
        ImportBatch.objects.filter(region=region).delete()
        Job.objects.filter(pk__in=jobs).delete()
        region.delete()
        steward.delete()


if __name__ == "__main__":
    main()
