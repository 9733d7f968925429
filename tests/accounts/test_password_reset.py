"""A forgotten password is reset by a one-time link mailed to the account's address; the
answer is the same whether or not the address has an account."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.accounts import mail
from tests.accounts.test_sign_in import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEW = "a quite new passphrase 7"


def _set_password(client, link: str, password: str):
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)  # a valid token moves into the session
    target = form.redirect_chain[-1][0] if form.redirect_chain else "/" + path
    return form, client.post(target, {"new_password1": password, "new_password2": password})


def test_a_known_and_an_unknown_address_get_the_same_answer(client, mailbox) -> None:
    UserFactory(username="kai")
    known = client.post("/en/accounts/reset/", {"email": "kai@example.org"})
    unknown = client.post("/en/accounts/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/en/accounts/reset/sent/"
    assert [m["To"] for m in mail.messages()] == ["kai@example.org"]


@override_settings(SITE_URL="https://atlas.example.org")
def test_the_mailed_link_sets_a_new_password_once(client, mailbox) -> None:
    UserFactory(username="lena")
    # a forged Host header does not go into the link: it is built from SITE_URL
    client.post("/ja/accounts/reset/", {"email": "lena@example.org"}, HTTP_HOST="localhost")
    [message] = mail.messages()
    link = mail.link(message)
    assert link.startswith("https://atlas.example.org/ja/accounts/reset/")
    assert message["Subject"].strip() == "GroundHeat Atlas の新しいパスワードを設定してください"
    form, done = _set_password(client, link, NEW)
    assert form.status_code == 200
    assert done["Location"] == "/ja/accounts/reset/done/"  # the mail's language
    assert sign_in(client, "lena", NEW).status_code == 302
    client.logout()
    again, _ = _set_password(client, link, "yet another passphrase 8")
    assert b'id="link-invalid"' in again.content


def test_an_inactive_account_gets_no_reset_mail(client, mailbox) -> None:
    UserFactory(username="mio", is_active=False)
    assert client.post("/en/accounts/reset/", {"email": "mio@example.org"}).status_code == 302
    assert mail.messages() == []
