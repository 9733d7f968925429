"""Shared fixtures. Personas, as the tests call them:

- alice is a data steward of Okinawa;
- carol is a data steward of Gunma (steward of region B in the matrices);
- bob is a planner (signed in, steward of nothing);
- ivan is an installer;
- root is a member of the admin group;
- anonymous is anyone on the internet.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.gis.geos import MultiPolygon
from django.db import connection
from django.utils import translation

from core import roles
from core.models import Region
from core.worker_process import WorkerDidNotStart, start_worker, stop_worker
from region_fixtures.services import FIXTURES_DIR, read_outline
from tests.factories import RegionFactory, UserFactory, role_group, square

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-results"
WORKER_START_TIMEOUT_S = 60.0


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Each test starts in English: a request in another language leaves it active in the
    thread, and reverse() of a page would then give that language's prefix."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def gunma_outline() -> MultiPolygon:
    """Gunma's real outline (MLIT N03 municipalities, dissolved)."""
    return read_outline(FIXTURES_DIR / "gunma" / "municipalities.geojson")


@pytest.fixture
def okinawa(db: None) -> Region:
    return RegionFactory(code="okinawa", name_en="Okinawa", name_ja="沖縄県")


@pytest.fixture
def gunma(db: None) -> Region:
    return RegionFactory(
        code="gunma", name_en="Gunma", name_ja="群馬県", boundary=square(138.9, 36.4, 0.2)
    )


@pytest.fixture
def personas(okinawa: Region, gunma: Region) -> dict[str, User | None]:
    alice = UserFactory(username="alice")
    alice.groups.add(okinawa.steward_group)
    carol = UserFactory(username="carol")
    carol.groups.add(gunma.steward_group)
    bob = UserFactory(username="bob")
    bob.groups.add(role_group(roles.PLANNER))
    ivan = UserFactory(username="ivan")
    ivan.groups.add(role_group(roles.INSTALLER))
    root = UserFactory(username="root")
    root.groups.add(role_group(roles.ADMIN))
    return {
        "anonymous": None,
        "planner": bob,
        "installer": ivan,
        "okinawa_steward": alice,
        "gunma_steward": carol,
        "admin": root,
    }


def _database_url() -> str:
    db = connection.settings_dict  # after django_db_setup: the test database
    return (
        f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, django_db_blocker: object
) -> Iterator[subprocess.Popen[bytes]]:
    """Real `celery -A config worker` processes on the test database and the test broker, one
    per queue as in production: "celery" (imports, recomputes) and "estimates" (closed-loop
    sizing, prefork with one child so its time limits hold). Yields the first; the second is
    its `estimates_worker`.

    They use their own Redis database (settings.test), which is emptied first, so a development
    worker never takes test tasks and stale test tasks never run. Tests that use them need
    `django_db(transaction=True)` so the workers see their rows.
    """
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    hostname = f"groundheat-test-{uuid.uuid4().hex[:8]}@localhost"
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "celery-worker.log").open("ab")
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    estimates_hostname = hostname.replace("groundheat-test-", "groundheat-test-estimates-")
    try:
        process = start_worker(
            hostname, env, output=log, timeout_s=WORKER_START_TIMEOUT_S, queues="celery"
        )
        estimates = start_worker(
            estimates_hostname,
            env,
            output=log,
            timeout_s=WORKER_START_TIMEOUT_S,
            queues=settings.ESTIMATE_QUEUE,
            pool="prefork",
        )
    except WorkerDidNotStart as exc:
        pytest.fail(f"{exc}; see {ARTIFACTS / 'celery-worker.log'}")
    process.hostname = hostname  # type: ignore[attr-defined]
    process.estimates_worker = estimates  # type: ignore[attr-defined]
    yield process
    stop_worker(estimates)
    stop_worker(process)
    log.close()
