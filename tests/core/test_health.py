"""/health/ answers for the database, Redis and the worker."""

from __future__ import annotations

import pytest
from django.test import override_settings


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_health_is_ok_when_database_redis_and_a_worker_answer(
    client, celery_worker_process
) -> None:
    response = client.get("/health/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"].startswith("ok (PostGIS 3.")
    assert body["checks"]["redis"] == "ok"
    assert body["checks"]["worker"].startswith("ok (")
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
def test_health_is_503_and_names_redis_when_the_broker_is_down(client) -> None:
    response = client.get("/health/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"].startswith("ok")
    assert checks["redis"].startswith("error: ConnectionError")
    assert checks["worker"] == "unknown: the broker is down"
