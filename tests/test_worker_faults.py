"""Worker faults during an import (#11): a worker killed mid-import leaves nothing half written
and its job and batch end failed with a reason; Redis restarted mid-import: the job still
ends (here it succeeds, fully written) and the published layer is served all the while.

Each test starts its own worker process (and, for the restart, its own redis-server on another
port with its own data directory): the shared Redis and the session's worker are never
touched. A recompute killed mid-run is tests/potential_map/test_recompute.py's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from kombu import Connection

from core.jobs import fail_stale_jobs
from core.models import Job, Region
from core.worker_process import ROOT, WorkerDidNotStart, start_worker, stop_worker
from ingest import service, tasks
from ingest.models import BatchChange, ImportBatch
from potential_map.models import MapLayer
from tests.conftest import _database_url
from tests.core.test_celery_roundtrip import wait_for
from tests.factories import RegionFactory, square
from tests.regions import constant_layer
from wells.models import Borehole, GroundwaterLevel

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BOREHOLES = 100
ROWS = 60_000  # several seconds inside the import's transaction on this machine


def levels_csv(rows: int) -> bytes:
    """Groundwater levels of BOREHOLES boreholes, hourly (as bench/import_bench.py writes)."""
    start = datetime(2020, 1, 1, tzinfo=UTC)
    lines = ["borehole_code,measured_at,depth_to_water,aquifer", ",,m,"]
    for n in range(rows):
        when = start + timedelta(hours=n // BOREHOLES)
        lines.append(f"FLT-{n % BOREHOLES:03d},{when:%Y-%m-%d %H:%M},{10 + n % 97 / 10:.2f},main")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def region(celery_worker_process) -> Region:
    region = RegionFactory(code="faults", boundary=square(127.6, 26.1, 0.1))
    Borehole.objects.bulk_create(
        Borehole(region=region, code=f"FLT-{n:03d}", depth_m=50, published=True)
        for n in range(BOREHOLES)
    )
    return region


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count() for model in (Borehole, GroundwaterLevel, BatchChange)
    }


def worker_env(broker_url: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
    }


def wait_until_writing(job: Job, timeout_s: float = 60.0, settle_s: float = 0.3) -> None:
    """Until the import is inside its transaction (progress past 'Checking every row')."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state == Job.State.RUNNING and job.progress >= 0.3:
            time.sleep(settle_s)
            return
        assert job.state in (Job.State.QUEUED, Job.State.RUNNING), job.message
        time.sleep(0.02)
    pytest.fail(f"the import did not start writing in {timeout_s} s")


def upload(region: Region, data: bytes) -> tuple[ImportBatch, Job]:
    return service.create_batch(region, "auto", SimpleUploadedFile("levels.csv", data), None)


def test_a_worker_killed_mid_import_writes_nothing_and_the_job_fails_with_a_reason(
    region,
) -> None:
    before = counts()
    hostname = f"doomed-import-{uuid.uuid4().hex[:6]}@localhost"
    queue = f"doomed-{uuid.uuid4().hex[:6]}"
    doomed = start_worker(hostname, worker_env(settings.CELERY_BROKER_URL), queues=queue)
    batch, job = upload(region, levels_csv(ROWS))
    tasks.import_batch.apply_async((job.pk,), queue=queue)
    wait_until_writing(job)
    os.kill(doomed.pid, signal.SIGKILL)  # the process this test started, nothing else
    doomed.wait(timeout=10)
    stop_worker(doomed)

    # The database undid the dead connection's transaction: not one row of the batch.
    deadline = time.monotonic() + 10
    while counts() != before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert counts() == before
    job.refresh_from_db()
    batch.refresh_from_db()
    assert (job.state, batch.state) == (Job.State.RUNNING, ImportBatch.State.VALIDATING)
    # The periodic clean-up (core.tasks.fail_stale_jobs, on the beat) ends both, with reasons.
    with override_settings(JOB_STALE_AFTER_S=0):
        assert fail_stale_jobs() >= 1
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "worker stopped" in job.message
    assert batch.state == ImportBatch.State.REJECTED
    assert batch.errors[0]["file"] == "levels.csv"
    assert "nothing was written" in batch.errors[0]["message"]
    assert counts() == before

    # Uploaded again, on a live worker, the same file goes in whole.
    again, job = upload(region, levels_csv(ROWS))
    tasks.import_batch.delay(job.pk)
    wait_for(job, timeout_s=180)
    again.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.message
    assert again.state == ImportBatch.State.IMPORTED, again.errors[:3]
    assert counts()["GroundwaterLevel"] == before["GroundwaterLevel"] + ROWS


@pytest.fixture
def own_redis(tmp_path) -> Iterator[tuple[str, callable]]:  # type: ignore[valid-type]
    """A redis-server of this test's own on port 6390 + slot, data in tmp_path; yields its URL
    and a function that restarts it (SHUTDOWN SAVE, down for `down_s`, up on the same data)."""
    port = 6390 + settings.TEST_SLOT
    data = tmp_path / "redis"
    data.mkdir()
    log = (tmp_path / "redis.log").open("ab")

    def start() -> subprocess.Popen[bytes]:
        command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1"]
        command += ["--dir", str(data), "--save", "", "--appendonly", "no"]
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=port).ping()
                return process
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    pytest.fail(f"redis-server on {port} did not start; see {log.name}")
                time.sleep(0.05)

    server = [start()]

    def restart(
        down_s: float, while_down: Callable[[], None], before: Callable[[], None] | None = None
    ) -> None:
        if before is not None:
            before()
        redis.Redis(port=port).shutdown(save=True)  # as a service restart does: data kept
        server[0].wait(timeout=10)
        while_down()
        time.sleep(down_s)
        server[0] = start()

    yield f"redis://127.0.0.1:{port}/0", restart
    server[0].terminate()
    server[0].wait(timeout=10)
    log.close()


def start_worker_on(broker_url: str, hostname: str, log: Path) -> subprocess.Popen[bytes]:
    """A worker as core.worker_process.start_worker starts it, on another broker; ready when
    its log says so (the in-process app's control channel is bound to the test broker)."""
    command = [str(ROOT / ".venv/bin/python"), "-m", "celery", "-A", "config", "worker"]
    command += ["--pool=solo", f"--hostname={hostname}", "--loglevel=INFO"]
    command += ["--without-mingle", "--without-gossip"]
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=worker_env(broker_url), stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while f"{hostname} ready.".encode() not in log.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise WorkerDidNotStart(f"the Celery worker {hostname} did not start; see {log}")
        time.sleep(0.1)
    return process


def published_layer(region: Region, tmp_path: Path) -> MapLayer:
    return constant_layer(region, tmp_path / "published.tif")


def test_redis_restarted_mid_import_the_job_ends_and_the_published_layer_is_served(
    region, own_redis, tmp_path, client
) -> None:
    from tests.potential_map.test_tiles import lonlat_to_tile

    broker_url, restart = own_redis
    layer = published_layer(region, tmp_path)
    x, y = lonlat_to_tile(127.65, 26.15, 10)
    tile = reverse("tile", args=[layer.pk, layer.version, 10, x, y])
    assert client.get(tile).status_code == 200
    before = counts()
    log = tmp_path / "worker.log"
    worker = start_worker_on(broker_url, f"own-redis-{uuid.uuid4().hex[:6]}@localhost", log)
    try:
        batch, job = upload(region, levels_csv(ROWS))
        with Connection(broker_url) as connection:
            tasks.import_batch.apply_async((job.pk,), connection=connection)
        wait_until_writing(job, settle_s=0.0)

        seen_before_down: list[str] = []

        def served() -> None:
            assert client.get(tile).status_code == 200

        def job_state() -> None:
            seen_before_down.append(Job.objects.get(pk=job.pk).state)

        restart(2.0, served, before=job_state)
        # the broker went away mid-import (the state read just before the shutdown; the import
        # may end while the broker is down: its acknowledgement then waits for the broker)
        assert seen_before_down == [Job.State.RUNNING]
        wait_for(job, timeout_s=180)
        batch.refresh_from_db()
        served()
        assert worker.poll() is None, log.read_text()[-3000:]  # it reconnected, did not die
    finally:
        stop_worker(worker)
    # The job ended, and the batch is whole or absent, never half.
    assert job.state == Job.State.SUCCEEDED, (job.message, log.read_text()[-3000:])
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors[:3]
    assert counts()["GroundwaterLevel"] == before["GroundwaterLevel"] + ROWS
