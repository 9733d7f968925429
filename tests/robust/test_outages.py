"""Outages leave nothing behind (issue #19). On a redis-server of the test's own (the shared
one and the session's workers are never touched):

- the broker is down when a steward uploads a file, asks for a recompute and a visitor asks
  for a closed-loop estimate: each request answers (no 500), says the job waits for the
  worker, and writes nothing but its queued job; when Redis is back, the beat's outbox relay
  (core.jobs.resend_jobs, called as the beat calls it) sends them and every job completes on a
  worker per queue; the tables then hold exactly what the jobs wrote (fingerprints);
- the cache is down: tiles and the point query still answer (rendered uncached), and the rate
  limits fail open for the map click and closed for anonymous estimates.
"""

from __future__ import annotations

import hashlib
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from celery import current_app
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from core.jobs import resend_jobs
from core.models import Job, Region
from core.worker_process import ROOT, WorkerDidNotStart, stop_worker
from estimates.models import Estimate
from ingest.models import ImportBatch
from potential_map.models import MapLayer
from tests.core.test_celery_roundtrip import wait_for
from tests.estimates.test_service import YOSHIOKA
from tests.factories import UserFactory
from tests.regions import region_with_maps
from tests.test_worker_faults import own_redis, worker_env  # noqa: F401 - own_redis: a fixture
from wells.models import Borehole, GroundwaterLevel

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TABLES = ("wells_groundwaterlevel", "potential_map_maplayer", "estimates_estimate")


def fingerprint() -> dict[str, str]:
    """Each table's rows, hashed (count and md5 of every row's text, in id order)."""
    out = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), ''))"
                f" FROM {table} t"
            )
            count, digest = cursor.fetchone()
            out[table] = f"{count}:{digest}"
    return out


def _use_broker(url: str) -> None:
    """Point this process's Celery app (the site's publisher) at `url`."""
    from kombu import pools

    current_app.conf.broker_url = url
    # kombu keeps one pool per broker URL for the whole process: closing the app's pool alone
    # left the site broker's pool closed in that registry, and every later test that sent a job
    # or pinged a worker got "Acquire on closed pool". Close and forget them all.
    pools.reset()
    current_app._pool = None
    current_app.amqp._producer_pool = None


@pytest.fixture
def broker(own_redis) -> Iterator[tuple[str, object]]:  # noqa: F811
    url, restart = own_redis
    before = current_app.conf.broker_url
    _use_broker(url)
    try:
        with override_settings(CELERY_BROKER_URL=url, JOB_SEND_GRACE_S=0):
            yield url, restart
    finally:
        _use_broker(before)


def start_workers(broker_url: str, log: Path) -> list[subprocess.Popen[bytes]]:
    """One worker per queue on `broker_url`, as scripts/worker.sh starts them."""
    processes = []
    for queue, pool in (("celery", "solo"), ("estimates", "prefork")):
        hostname = f"outage-{queue}-{uuid.uuid4().hex[:6]}@localhost"
        command = [str(ROOT / ".venv/bin/python"), "-m", "celery", "-A", "config", "worker"]
        command += [f"--pool={pool}", "--concurrency=1", f"--hostname={hostname}", "-Q", queue]
        command += ["--loglevel=INFO", "--without-mingle", "--without-gossip"]
        with log.open("ab") as output:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=worker_env(broker_url),
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        processes.append(process)
        deadline = time.monotonic() + 60
        while f"{hostname} ready.".encode() not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                for p in processes:
                    p.kill()
                raise WorkerDidNotStart(f"{hostname} did not start; see {log}")
            time.sleep(0.1)
    return processes


def levels_for(code: str, rows: int) -> bytes:
    start = datetime(2031, 1, 1, tzinfo=UTC)  # after every fixture reading
    lines = ["borehole_code,measured_at,depth_to_water,aquifer", ",,m,"]
    lines += [
        f"{code},{start + timedelta(hours=n):%Y-%m-%d %H:%M},{5 + n % 7 / 10:.2f},main"
        for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def gunma() -> Region:
    return region_with_maps("gunma", 2000.0)


def test_a_broker_outage_answers_every_request_and_the_beat_sends_the_jobs_when_it_is_back(
    broker, gunma, client, tmp_path
) -> None:
    broker_url, restart = broker
    steward = UserFactory(username="gunma-outage-steward")
    steward.groups.add(gunma.steward_group)
    code = Borehole.objects.filter(region=gunma).order_by("code").values_list("code", flat=True)[0]
    before = fingerprint()
    layers_before = MapLayer.objects.filter(region=gunma).count()
    answers: dict[str, object] = {}

    def requests_while_down() -> None:
        client.force_login(steward)
        upload = client.post(
            reverse("ingest:upload", args=["gunma"]),
            {"kind": "auto", "file": SimpleUploadedFile("outage.csv", levels_for(code, 48))},
            headers={"accept": "application/json"},
        )
        answers["upload"] = upload
        answers["status"] = (
            client.get(upload.json()["status_url"]) if upload.status_code < 300 else None
        )
        answers["recompute"] = client.post(reverse("potential_map:recompute", args=["gunma"]))
        client.logout()
        answers["estimate"] = client.post(
            reverse("api:estimate-create"),
            {
                "lat": YOSHIOKA.y,
                "lon": YOSHIOKA.x,
                "inputs": {
                    "loads": "peaks",
                    "heating_peak_w": 8000,
                    "cooling_peak_w": 4000,
                    "system": "closed_loop",
                },
            },
            content_type="application/json",
        )
        answers["while_down"] = fingerprint()

    restart(0.5, requests_while_down)
    # Every request answered, none with a 500, and said the job waits for the worker.
    assert answers["upload"].status_code == 202, answers["upload"].content[:300]
    assert "when the worker is back" in answers["status"].json()["message"]
    assert answers["recompute"].status_code in (302, 303), answers["recompute"].status_code
    estimate_answer = answers["estimate"]
    assert estimate_answer.status_code == 202, estimate_answer.content[:300]
    assert estimate_answer.json()["state"] == "queued"
    assert "when the worker is back" in estimate_answer.json()["message"]
    # Nothing was written but the queued rows: the data tables are as they were, bar the
    # estimate's own queued row.
    down = answers["while_down"]
    assert down["wells_groundwaterlevel"] == before["wells_groundwaterlevel"]
    assert down["potential_map_maplayer"] == before["potential_map_maplayer"]
    queued = Job.objects.filter(state=Job.State.QUEUED)
    assert queued.count() == 3
    assert all(job.sent_at is None and job.dispatch_attempts == 1 for job in queued), [
        (j.kind, j.sent_at, j.dispatch_attempts, j.task_name) for j in queued
    ]
    batch = ImportBatch.objects.get(file_name="outage.csv")
    assert batch.state == ImportBatch.State.PENDING

    # Redis is back: the beat's relay sends the three, each queue's worker runs its own.
    log = tmp_path / "workers.log"
    workers = start_workers(broker_url, log)
    try:
        assert resend_jobs() == 3
        jobs = list(Job.objects.filter(pk__in=[j.pk for j in queued]))
        for job in jobs:
            wait_for(job, timeout_s=240)
        # the import queues its own recompute after commit (sent at once, the broker is up)
        for job in Job.objects.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING]):
            wait_for(job, timeout_s=240)
    finally:
        for worker in workers:
            stop_worker(worker)
    failed = Job.objects.exclude(state=Job.State.SUCCEEDED)
    assert not failed.exists(), [(j.kind, j.state, j.message) for j in failed]
    assert not Job.objects.filter(sent_at__isnull=True).exclude(task_name="").exists()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors[:3]
    estimate = Estimate.objects.get()
    assert estimate.state == Estimate.State.DONE, estimate.message
    assert estimate.result["design"]["kind"] == "closed_loop"
    # Whole, never half: the 48 levels, a new version of every layer, the one estimate.
    assert (
        GroundwaterLevel.objects.count() == int(before["wells_groundwaterlevel"].split(":")[0]) + 48
    )
    assert MapLayer.objects.filter(region=gunma).count() > layers_before
    assert not ImportBatch.objects.filter(state=ImportBatch.State.PENDING).exists()
    assert hashlib.md5(b"").hexdigest() not in fingerprint()["estimates_estimate"]


def test_a_cache_outage_leaves_the_map_drawn_and_the_limits_fail_as_documented(
    own_redis,  # noqa: F811
    gunma,
    client,
    personas,
) -> None:
    from tests.potential_map.test_tiles import lonlat_to_tile

    url, restart = own_redis
    cache = {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": url.replace("/0", "/1"),
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.5},
        }
    }
    layer = MapLayer.objects.filter(region=gunma, is_current=True, kind="conductivity").get()
    x, y = lonlat_to_tile(YOSHIOKA.x, YOSHIOKA.y, 9)
    tile = reverse("tile", args=[layer.pk, layer.version, 9, x, y])
    point = {"lat": YOSHIOKA.y, "lon": YOSHIOKA.x}
    seen: dict[str, object] = {}

    def while_down() -> None:
        seen["tile"] = client.get(tile)
        seen["point"] = client.get(reverse("api:point"), point)
        seen["estimate_anonymous"] = client.post(
            reverse("api:estimate-create"),
            {
                **point,
                "inputs": {
                    "loads": "use",
                    "building_use": "office",
                    "floor_area_m2": 500,
                    "system": "open_loop",
                },
            },
            content_type="application/json",
        )
        client.force_login(personas["planner"])
        seen["estimate_planner"] = client.post(
            reverse("api:estimate-create"),
            {
                **point,
                "inputs": {
                    "loads": "use",
                    "building_use": "office",
                    "floor_area_m2": 500,
                    "system": "open_loop",
                },
            },
            content_type="application/json",
        )
        seen["health"] = client.get("/health/")

    with override_settings(CACHES=cache):
        assert client.get(tile).status_code == 200  # cached while the cache is up
        restart(0.5, while_down)
    assert seen["tile"].status_code == 200
    assert seen["tile"]["Content-Type"] == "image/png"
    assert seen["point"].status_code == 200
    assert "conductivity" in seen["point"].json()["layers"]
    assert seen["estimate_anonymous"].status_code == 429  # closed for anonymous callers
    assert seen["estimate_planner"].status_code == 200  # open for signed-in users
    health = seen["health"].json()
    assert seen["health"].status_code == 503
    assert health["checks"]["cache"].startswith("error")
    assert health["checks"]["database"].startswith("ok")
