"""/health/: is the database (with PostGIS), Redis and at least one Celery worker answering?

Plain checks rather than django-health-check: three probes, one JSON answer a load balancer
and a person can both read, with no extra tables or URLs.
"""

from __future__ import annotations

import redis
from celery import current_app as celery_app  # the project's app: core imports no config
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

WORKER_PING_TIMEOUT_S = 1.0
REDIS_TIMEOUT_S = 1.0


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT postgis_lib_version()")
        return f"ok (PostGIS {cursor.fetchone()[0]})"


def _redis() -> str:
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_timeout=REDIS_TIMEOUT_S,
        socket_connect_timeout=REDIS_TIMEOUT_S,
    )
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def _worker() -> str:
    replies = celery_app.control.ping(timeout=WORKER_PING_TIMEOUT_S)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return f"ok ({len(replies)} worker{'s' if len(replies) != 1 else ''})"


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 with every check "ok", or 503 naming what failed. Public: it reveals no data."""
    checks = {}
    healthy = True
    for name, probe in (("database", _database), ("redis", _redis), ("worker", _worker)):
        try:
            checks[name] = probe()
        except Exception as exc:
            healthy = False
            checks[name] = f"error: {type(exc).__name__}: {exc}"[:300]
            if name == "redis":
                checks["worker"] = "unknown: the broker is down"
                break
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
