"""Sign-in attempts are limited per account and per client address, the limit fails closed
when Redis is gone, and account mail is limited too."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from core.models import AuditEntry
from tests.accounts.test_sign_in import PASSWORD, _answer, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LIMITS = {
    "sign_in_account": "3/hour",
    "sign_in_address": "5/hour",
    "mail_account": "2/hour",
    "mail_address": "3/hour",
}


@pytest.fixture(autouse=True)
def _low_limits(settings) -> None:
    settings.ACCOUNT_RATE_LIMITS = LIMITS


def test_failures_against_one_account_from_many_addresses_lock_that_account(client) -> None:
    UserFactory(username="dora")
    for n in range(3):
        assert sign_in(client, "dora", "guess", REMOTE_ADDR=f"192.0.2.{n}").status_code == 200
    # the 4th attempt is refused before the password is looked at, even the right one
    refused = sign_in(client, "DORA", PASSWORD, REMOTE_ADDR="192.0.2.99")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    # her e-mail is the same account
    assert (
        sign_in(client, "dora@example.org", PASSWORD, REMOTE_ADDR="192.0.2.98").status_code == 429
    )
    # another account from the same addresses is not locked
    UserFactory(username="emil")
    assert sign_in(client, "emil", PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 302


def test_failures_from_one_address_against_many_accounts_lock_that_address(client) -> None:
    for n in range(5):
        assert sign_in(client, f"nobody{n}", "guess", REMOTE_ADDR="198.51.100.7").status_code == 200
    UserFactory(username="fumi")
    assert sign_in(client, "fumi", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert sign_in(client, "fumi", PASSWORD, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_an_unknown_and_a_known_account_are_locked_alike(client) -> None:
    UserFactory(username="gina")
    answers = {}
    for name in ("gina", "no-such-person"):
        for n in range(3):
            sign_in(client, name, "guess", REMOTE_ADDR=f"203.0.113.{n + 10 * len(answers)}")
        refused = sign_in(client, name, "guess", REMOTE_ADDR="203.0.113.200")
        status, html = _answer(refused)
        answers[name] = (status, re.sub(r"wait \d+ seconds", "wait N seconds", html))
    assert answers["gina"] == answers["no-such-person"]
    assert answers["gina"][0] == 429


def test_a_successful_sign_in_is_not_counted_as_a_failure(client) -> None:
    UserFactory(username="hana")
    for _ in range(6):  # more than either limit
        assert sign_in(client, "hana", PASSWORD, REMOTE_ADDR="192.0.2.50").status_code == 302
        client.logout()


def test_the_address_behind_the_proxy_is_the_one_counted(client) -> None:
    """Behind nginx (NUM_PROXIES=1) the client is X-Forwarded-For's last address, the same one
    the API limits and the audit log use (core.audit.client_address)."""
    rest = {"NUM_PROXIES": 1, "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema"}
    with override_settings(REST_FRAMEWORK=rest):
        for n in range(5):
            sign_in(
                client, f"x{n}", "guess", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.77"
            )
        assert (
            sign_in(
                client, "y", "guess", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.77"
            ).status_code
            == 429
        )
        # the same proxy, another client: not limited
        assert (
            sign_in(
                client, "y", "guess", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.78"
            ).status_code
            == 200
        )


def test_without_the_cache_sign_in_is_refused_not_let_through(client) -> None:
    UserFactory(username="ida")
    nothing_listens = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: no Redis there
        }
    }
    with override_settings(CACHES=nothing_listens):
        response = sign_in(client, "ida", PASSWORD)
        assert response.status_code == 503
        assert response["Retry-After"] == "60"
        assert "_auth_user_id" not in client.session
        reset = client.post("/en/accounts/reset/", {"email": "ida@example.org"})
        assert reset.status_code == 503


def test_reset_mail_is_limited_per_address_asked_for_and_per_client(client, mailbox) -> None:
    from tests.accounts import mail

    UserFactory(username="jun")
    for n in range(2):
        sent = client.post(
            "/en/accounts/reset/", {"email": "jun@example.org"}, REMOTE_ADDR=f"192.0.2.{n}"
        )
        assert sent.status_code == 302
    refused = client.post(
        "/en/accounts/reset/", {"email": "jun@example.org"}, REMOTE_ADDR="192.0.2.9"
    )
    assert refused.status_code == 429
    assert len(mail.messages()) == 2
    for n in range(3):
        client.post(
            "/en/accounts/reset/", {"email": f"x{n}@example.org"}, REMOTE_ADDR="198.51.100.1"
        )
    assert (
        client.post(
            "/en/accounts/reset/", {"email": "y@example.org"}, REMOTE_ADDR="198.51.100.1"
        ).status_code
        == 429
    )
    assert not AuditEntry.objects.exists()  # asking for a reset changes nothing
