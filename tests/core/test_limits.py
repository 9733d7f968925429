"""Rate limits per user and per address answer a clear 429; big bodies a 413; production
cookies are secure. The suite's own rates are far too high to trip: each test lowers one."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from core.throttling import SCOPES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


def fresh_address() -> str:
    """A random private address, its counts dropped: no earlier test or run shares them."""
    n = secrets.randbits(24)
    address = f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}"
    cache.delete_many([f"throttle_{scope}_address_addr-{address}" for scope in SCOPES])
    return address


def forget(user) -> None:  # type: ignore[no-untyped-def]
    """Drop a user's counts: user ids start again with each new test database."""
    cache.delete_many([f"throttle_{scope}_user_user-{user.pk}" for scope in SCOPES])


def limits(**rates: str) -> override_settings:
    return override_settings(RATE_LIMITS={**settings.RATE_LIMITS, **rates})


def test_the_point_query_is_limited_per_address_with_json_and_retry_after(client) -> None:
    address = fresh_address()
    with limits(point_address="2/min"):
        for _ in range(2):
            response = client.get(reverse("api:point"), {"lat": 0, "lon": 0}, REMOTE_ADDR=address)
            assert response.status_code != 429
        refused = client.get(reverse("api:point"), {"lat": 0, "lon": 0}, REMOTE_ADDR=address)
        assert refused.status_code == 429
        assert "throttled" in refused.json()["detail"]
        assert 0 < int(refused["Retry-After"]) <= 60
        # Another address is not held back by this one's count.
        other = client.get(reverse("api:point"), {"lat": 0, "lon": 0}, REMOTE_ADDR=fresh_address())
        assert other.status_code != 429


def test_a_signed_in_user_is_limited_from_every_address(client) -> None:
    user = UserFactory()
    forget(user)
    client.force_login(user)
    with limits(point_user="2/min"):
        for _ in range(2):
            response = client.post(
                reverse("api:parcel"),
                {},
                content_type="application/json",
                REMOTE_ADDR=fresh_address(),
            )
            assert response.status_code != 429
        refused = client.post(
            reverse("api:parcel"), {}, content_type="application/json", REMOTE_ADDR=fresh_address()
        )
        assert refused.status_code == 429
        assert "Retry-After" in refused


def test_a_forwarded_for_header_does_not_pick_a_new_address(client) -> None:
    """Without a proxy in front (NUM_PROXIES=0) X-Forwarded-For is the client's own word."""
    address = fresh_address()
    with limits(estimate_address="1/min"):
        first = client.post(
            reverse("api:estimate-create"),
            {},
            content_type="application/json",
            REMOTE_ADDR=address,
            HTTP_X_FORWARDED_FOR="192.0.2.1",
        )
        assert first.status_code == 400  # no point given: answered, and counted
        second = client.post(
            reverse("api:estimate-create"),
            {},
            content_type="application/json",
            REMOTE_ADDR=address,
            HTTP_X_FORWARDED_FOR="192.0.2.2",
        )
        assert second.status_code == 429


def test_the_estimate_page_answers_a_translated_429_and_lets_the_form_be_read(client) -> None:
    address = fresh_address()
    url = "/ja" + reverse("estimates:design")[3:]
    with limits(estimate_address="1/min"):
        assert client.post(url, {}, REMOTE_ADDR=address).status_code == 400  # no point
        refused = client.post(url, {}, REMOTE_ADDR=address)
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) >= 1
        assert "<h1>" in refused.content.decode()
        assert refused.templates[0].name == "core/429.html"
        # Reading the form (GET) is not counted.
        assert client.get(url, {"lat": 0, "lon": 0}, REMOTE_ADDR=address).status_code == 400


def test_uploads_are_limited_per_steward(client, gunma) -> None:
    steward = UserFactory()
    steward.groups.add(gunma.steward_group)
    forget(steward)
    client.force_login(steward)
    url = reverse("ingest:upload", args=["gunma"])
    with limits(upload_user="2/min"):
        for _ in range(2):
            response = client.post(
                url, {"file": SimpleUploadedFile("b.csv", b"")}, REMOTE_ADDR=fresh_address()
            )
            assert response.status_code == 400  # the empty file is refused by the importer
        refused = client.post(
            url,
            {"file": SimpleUploadedFile("b.csv", b"")},
            REMOTE_ADDR=fresh_address(),
            headers={"accept": "application/json"},
        )
        assert refused.status_code == 429
        assert "Too many requests" in refused.json()["detail"]
        assert client.get(url).status_code == 200  # the page itself is still there
        planning = client.post(
            reverse("planning:upload", args=["gunma"]),
            {"file": SimpleUploadedFile("s.csv", b"")},
            REMOTE_ADDR=fresh_address(),
        )
        assert planning.status_code == 429  # one count for every upload of this steward


def test_a_body_over_the_request_cap_is_refused_before_it_is_read(client) -> None:
    with override_settings(REQUEST_MAX_BYTES=1000):
        response = client.post(reverse("api:parcel"), "x" * 2000, content_type="application/json")
        assert response.status_code == 413
        assert "too large" in response.json()["detail"]
        page = client.post(reverse("estimates:design"), {"parcel": "x" * 2000})
        assert page.status_code == 413


def test_the_default_rates_parse_and_the_body_caps_hold_together() -> None:
    from rest_framework.throttling import SimpleRateThrottle

    from config.settings import base

    for rate in base.RATE_LIMITS.values():
        number, seconds = SimpleRateThrottle.parse_rate(None, rate)  # type: ignore[arg-type]
        assert number >= 1
        assert seconds >= 60
    assert set(base.RATE_LIMITS) == {f"{s}_{k}" for s in SCOPES for k in ("user", "address")}
    assert base.REQUEST_MAX_BYTES > base.IMPORT_MAX_BYTES
    assert base.DATA_UPLOAD_MAX_MEMORY_SIZE <= base.REQUEST_MAX_BYTES


def test_production_cookies_are_secure_http_only_and_same_site() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "atlas.example.org",
        "DATABASE_URL": "postgis://groundheat:groundheat@127.0.0.1:5432/groundheat",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, "
        "s.CSRF_COOKIE_HTTPONLY, s.CSRF_COOKIE_SAMESITE, s.REST_FRAMEWORK['NUM_PROXIES'], "
        "s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    last_line = result.stdout.strip().splitlines()[-1]  # after the shell's own notices
    assert last_line.split() == ["True", "True", "Lax", "True", "True", "Lax", "1", "False"]
