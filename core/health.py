"""/health/: the database (with PostGIS), the broker, the cache and the workers of each queue,
each reported on its own.

Plain checks rather than django-health-check: four probes, one JSON answer a load balancer
and a person can both read, with no extra tables or URLs. The probes have short timeouts and
their answer is kept for HEALTH_PROBE_TTL_S in the process: a burst of /health/ requests is
answered from it in milliseconds, and while one thread probes, the others answer with the last
result instead of waiting (a dead broker cannot tie up the server's threads).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import redis
from celery import current_app as celery_app  # the project's app: core imports no config
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

WORKER_PING_TIMEOUT_S = 0.5
REDIS_TIMEOUT_S = 0.3

_lock = threading.Lock()
_last: dict[tuple[str, ...], tuple[float, dict[str, Any], bool]] = {}


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT postgis_lib_version()")
        return f"ok (PostGIS {cursor.fetchone()[0]})"


def _ping(url: str) -> str:
    client = redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S
    )
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def _cache_url() -> str:
    return str(settings.CACHES["default"].get("LOCATION", ""))


def _queues() -> list[str]:
    return [settings.CELERY_TASK_DEFAULT_QUEUE, settings.ESTIMATE_QUEUE, settings.TILE_QUEUE]


def _workers() -> tuple[str, dict[str, str]]:
    """(summary, {queue: answer}): which live workers take which queue, in one broadcast."""
    replies = celery_app.control.inspect(timeout=WORKER_PING_TIMEOUT_S).active_queues() or {}
    if not replies:
        raise RuntimeError("no Celery worker answered")
    taking: dict[str, int] = {}
    for queues in replies.values():
        for queue in queues or []:
            taking[queue["name"]] = taking.get(queue["name"], 0) + 1
    per_queue = {
        queue: f"ok ({taking[queue]} worker{'s' if taking[queue] != 1 else ''})"
        if queue in taking
        else "error: no worker takes this queue"
        for queue in _queues()
    }
    count = len(replies)
    return f"ok ({count} worker{'s' if count != 1 else ''})", per_queue


def _error(exc: Exception) -> str:
    return f"error: {type(exc).__name__}: {exc}"[:300]


def probe() -> tuple[dict[str, Any], bool]:
    """Run every probe now: (checks, healthy)."""
    checks: dict[str, Any] = {}
    healthy = True
    try:
        checks["database"] = _database()
    except Exception as exc:
        healthy, checks["database"] = False, _error(exc)
    try:
        checks["broker"] = _ping(settings.CELERY_BROKER_URL)
    except Exception as exc:
        healthy, checks["broker"] = False, _error(exc)
    checks["redis"] = checks["broker"]  # the broker's earlier name, kept for existing monitors
    try:
        checks["cache"] = _ping(_cache_url())
    except Exception as exc:
        healthy, checks["cache"] = False, _error(exc)
    if checks["broker"] != "ok":
        checks["worker"] = "unknown: the broker is down"
        checks["workers"] = {queue: "unknown: the broker is down" for queue in _queues()}
    else:
        try:
            checks["worker"], checks["workers"] = _workers()
            required = (settings.CELERY_TASK_DEFAULT_QUEUE, settings.ESTIMATE_QUEUE)
            # the tile queue is reported but not required: without it tiles render on demand
            healthy = healthy and all(checks["workers"][q].startswith("ok") for q in required)
        except Exception as exc:
            healthy, checks["worker"] = False, _error(exc)
            checks["workers"] = {queue: "unknown" for queue in _queues()}
    return checks, healthy


def cached_probe() -> tuple[dict[str, Any], bool, float]:
    """The last probe if younger than HEALTH_PROBE_TTL_S, else a new one; if another thread is
    probing, the last one whatever its age. Returns (checks, healthy, age in s)."""
    key = (settings.CELERY_BROKER_URL, _cache_url(), connection.settings_dict["NAME"])
    now = time.monotonic()
    last = _last.get(key)
    if last is not None and now - last[0] < settings.HEALTH_PROBE_TTL_S:
        return last[1], last[2], now - last[0]
    if not _lock.acquire(blocking=last is None):
        assert last is not None
        return last[1], last[2], now - last[0]
    try:
        checks, healthy = probe()
        _last[key] = (time.monotonic(), checks, healthy)
        return checks, healthy, 0.0
    finally:
        _lock.release()


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 with every check "ok", or 503 naming what failed. Public: it reveals no data."""
    checks, healthy, age = cached_probe()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks, "age_s": round(age, 1)},
        status=200 if healthy else 503,
    )
