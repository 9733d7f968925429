"""Celery round trip: enqueue a Job to the moment its row says succeeded, 200 times.

Baseline measured in the same run: a broadcast ping answered by the same worker (broker and
worker latency without the database or the Job bookkeeping). Prints median, p95 and ratios.
Runs against the development database with its own worker on Redis database 14.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
BENCH_BROKER = "redis://127.0.0.1:6379/14"
os.environ["CELERY_BROKER_URL"] = BENCH_BROKER

import django  # noqa: E402

django.setup()

import redis  # noqa: E402

from bench._report import record  # noqa: E402
from config.celery_app import app  # noqa: E402
from core import tasks  # noqa: E402
from core.models import Job, Region  # noqa: E402
from core.worker_process import start_worker, stop_worker  # noqa: E402

ROUND_TRIPS = 200
POLL_S = 0.001


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    # a fixture region: another bench's throw-away "bench-…" region may vanish mid-run
    region = Region.objects.exclude(code__startswith="bench-").order_by("code").first()
    if region is None:
        sys.exit("no region loaded: run `manage.py load_region --all` first (make run does)")
    redis.Redis.from_url(BENCH_BROKER).flushdb()
    hostname = f"bench-{uuid.uuid4().hex[:6]}@localhost"
    worker = start_worker(hostname, os.environ.copy())
    try:
        ping_s = []
        for _ in range(ROUND_TRIPS):
            start = time.perf_counter()
            app.control.ping(destination=[hostname], timeout=1.0)
            ping_s.append(time.perf_counter() - start)
        job_s = []
        created = []
        for _ in range(ROUND_TRIPS):
            start = time.perf_counter()
            job = Job.objects.create(kind="measure_regions", region=region)
            tasks.measure_regions.delay(job.pk)
            while not Job.objects.filter(pk=job.pk, state=Job.State.SUCCEEDED).exists():
                time.sleep(POLL_S)
            job_s.append(time.perf_counter() - start)
            created.append(job.pk)
        Job.objects.filter(pk__in=created).delete()
    finally:
        stop_worker(worker)

    rows = [("broadcast ping (baseline)", ping_s), ("job round trip", job_s)]
    base = statistics.median(ping_s)
    print(f"celery round trip, {ROUND_TRIPS} each, solo worker, Redis broker")
    print(f"{'what':28} {'median ms':>10} {'p95 ms':>8} {'× baseline':>11}")
    for name, values in rows:
        median = statistics.median(values)
        print(
            f"{name:28} {median * 1e3:10.2f} {percentile(values, 0.95) * 1e3:8.2f}"
            f" {median / base:11.2f}"
        )
        record(
            "celery_roundtrip",
            f"{name}, median",
            median * 1e3,
            "ms",
            baseline="broadcast ping",
            baseline_value=base * 1e3,
        )


if __name__ == "__main__":
    main()
