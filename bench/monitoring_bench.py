"""Monitoring: a year of 1-minute data for 20 sensors (10.5 million readings) imported from one
CSV through the series service (what the Celery task runs), then the plot endpoint over the
whole year and over one day. Goals (issue #12): import under 60 s, plot under 1 s.
Baseline in the same run: pandas reading the same CSV (the floor of any CSV import).

Against the development database, in a throw-away region removed at the end.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

import io  # noqa: E402
import resource  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from django.contrib.gis.geos import MultiPolygon, Point, Polygon  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench._report import record  # noqa: E402
from core.models import Region  # noqa: E402
from ingest.models import ImportBatch  # noqa: E402
from monitoring import services  # noqa: E402
from monitoring.models import GroundSourceSystem, Loop, Measures, Sensor  # noqa: E402

SENSORS = 20
MINUTES = int(os.environ.get("BENCH_MINUTES", str(365 * 24 * 60)))


def year_csv(minutes: int) -> bytes:
    """observed_at in UTC and 20 temperature columns (°C, 2 decimals), as a logger writes."""
    times = pd.date_range("2025-01-01", periods=minutes, freq="min", tz="UTC")
    rng = np.random.default_rng(12)
    day = np.sin(np.arange(minutes) * 2 * np.pi / 1440)
    frame = pd.DataFrame({"observed_at": times.strftime("%Y-%m-%dT%H:%MZ")})
    for n in range(SENSORS):
        frame[f"t{n:02d}"] = np.round(12 + 3 * day + rng.normal(0, 0.2, minutes) + n * 0.1, 2)
    units = ",".join(["UTC", *["°C"] * SENSORS])
    body = frame.to_csv(index=False, header=False)
    return (",".join(frame.columns) + "\n" + units + "\n" + body).encode()


def main() -> None:
    region = Region.objects.filter(code="bench-monitoring").first()
    if region is not None:
        _remove(region)
    outline = MultiPolygon(Polygon.from_bbox((139.0, 36.0, 139.2, 36.2)), srid=4326)
    region = Region.objects.create(
        code="bench-monitoring",
        name_en="Bench",
        boundary=outline,
        raster_crs_epsg=32654,
        time_zone="Asia/Tokyo",
        published=True,
    )
    system = GroundSourceSystem.objects.create(
        region=region,
        code="bench",
        name="Bench",
        loop=Loop.CLOSED,
        location=Point(139.1, 36.1, srid=4326),
        published=True,
    )
    for n in range(SENSORS):
        Sensor.objects.create(
            system=system, code=f"t{n:02d}", measures=Measures.FLUID_TEMPERATURE, interval_s=60
        )
    try:
        data = year_csv(MINUTES)
        readings = MINUTES * SENSORS
        t0 = time.perf_counter()
        pd.read_csv(io.BytesIO(data), skiprows=[1])
        pandas_s = time.perf_counter() - t0

        batch, job = services.create_series_batch(
            system, SimpleUploadedFile("year.csv", data), None
        )
        t0 = time.perf_counter()
        services.import_series_job(job)
        import_s = time.perf_counter() - t0
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.IMPORTED, batch.errors[:3]
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"monitoring import: {readings:,} readings ({len(data) / 1e6:.0f} MB CSV) in "
            f"{import_s:.1f} s = {readings / import_s:,.0f} rows/s; pandas read_csv alone "
            f"{pandas_s:.1f} s (×{import_s / pandas_s:.1f}); peak RSS {peak_mb:.0f} MB"
        )
        record(
            "monitoring",
            "import a year of 1-min data, 20 sensors",
            import_s,
            "s",
            baseline="pandas read_csv",
            baseline_value=pandas_s,
            goal="<= 60",
        )
        record("monitoring", "import throughput", readings / import_s, "rows/s")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('monitoring_reading_y2025')")
            size = cursor.fetchone()[0]
        print(f"monitoring storage: {size / readings:.1f} bytes per reading (2025 partition)")
        record("monitoring", "storage per reading", size / readings, "B")

        client = Client(HTTP_HOST="127.0.0.1")
        day = (pd.Timestamp("2025-01-01") + pd.Timedelta(minutes=MINUTES // 2)).date()
        url = reverse("api:monitoring-series", args=[system.pk])
        for label, query in (
            ("plot, whole year", {"sensor": "t07"}),
            ("plot, one day", {"sensor": "t07", "start": f"{day}T00:00Z", "end": f"{day}T23:59Z"}),
        ):
            client.get(url, query)  # warm the connection and the plan
            timings = []
            for _ in range(5):
                t0 = time.perf_counter()
                response = client.get(url, query)
                timings.append(time.perf_counter() - t0)
                assert response.status_code == 200, response.content[:200]
            body = response.json()
            best = min(timings)
            print(
                f"monitoring {label}: {len(body['times'])} points from {body['source']} in "
                f"{1000 * best:.0f} ms (best of 5; median {1000 * np.median(timings):.0f} ms)"
            )
            record("monitoring", label, 1000 * float(np.median(timings)), "ms", goal="<= 1000")
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            _remove(region)


def _remove(region: Region) -> None:
    systems = GroundSourceSystem.objects.filter(region=region)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM monitoring_reading WHERE sensor_id IN "
            "(SELECT id FROM monitoring_sensor WHERE system_id = ANY(%s))",
            [list(systems.values_list("pk", flat=True))],
        )
    systems.delete()
    ImportBatch.objects.filter(region=region).delete()
    region.delete()
    with connection.cursor() as cursor:  # dead rows would inflate the next run's storage figure
        cursor.execute("VACUUM monitoring_reading")


if __name__ == "__main__":
    main()
