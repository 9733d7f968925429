"""Everyone signs in on the site's own page, whatever their role, and every failure answers
the same. Personas: tests/conftest.py (bob planner, ivan installer, alice Okinawa's steward,
root in the admin group; none of them is_staff)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
SIGN_IN = "/en/accounts/sign-in/"


def sign_in(client, username: str, password: str = PASSWORD, next_url: str = "", **extra):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(SIGN_IN, data, **extra)


@pytest.mark.parametrize("role", ["planner", "installer", "okinawa_steward", "admin"])
def test_every_role_signs_in_through_the_form_without_is_staff(client, personas, role) -> None:
    person = personas[role]
    assert not person.is_staff
    response = sign_in(client, person.username, next_url="/en/planning/okinawa/")
    assert response.status_code == 302
    assert response["Location"] == "/en/planning/okinawa/"
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_page_that_needs_a_sign_in_sends_to_the_sites_own_page_not_the_admins(client, okinawa):
    response = client.get(reverse("ingest:upload", args=["okinawa"]))
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/en/imports/okinawa/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'name="next" value="/en/imports/okinawa/"' in page.content


def test_the_sign_in_page_is_in_the_sites_layout_and_language(client) -> None:
    page = client.get("/ja/accounts/sign-in/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="ja">' in html
    assert 'class="site-header"' in html  # templates/base.html
    assert "<h1>ログイン</h1>" in html  # the site's existing term for "Sign in"


def test_a_sign_in_by_e_mail_in_any_case_works(client, personas) -> None:
    response = sign_in(client, "IVAN@example.org")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas["installer"].pk)


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/steal",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "https:///evil.example/",
    ],
)
def test_next_to_another_host_is_refused(client, personas, next_url) -> None:
    response = sign_in(client, "bob", next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/en/"  # LOGIN_REDIRECT_URL, never the other host


def test_next_keeps_the_language_chosen_on_the_sign_in_page(client, personas) -> None:
    response = client.post(
        "/ja/accounts/sign-in/",
        {"username": "bob", "password": PASSWORD, "next": "/en/planning/okinawa/?scenario=1"},
    )
    assert response["Location"] == "/ja/planning/okinawa/?scenario=1"


def _answer(response) -> tuple[int, str]:
    """Status and page, without what differs by request only (CSRF token, the name typed)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'name="username" value="[^"]*"', "", html)
    return response.status_code, html


def test_unknown_user_wrong_password_and_inactive_account_get_the_same_answer(client) -> None:
    UserFactory(username="dora")
    UserFactory(username="gone", is_active=False)
    unknown = _answer(sign_in(client, "nobody"))
    wrong = _answer(sign_in(client, "dora", "wrong password"))
    inactive = _answer(sign_in(client, "gone"))  # the right password of an inactive account
    assert unknown == wrong == inactive
    status, html = unknown
    assert status == 200
    assert "do not match an active account" in html
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_ends_the_session(client, personas) -> None:
    client.force_login(personas["planner"])
    assert client.get("/en/accounts/sign-out/").status_code == 405  # a link cannot sign out
    assert "_auth_user_id" in client.session
    response = client.post("/en/accounts/sign-out/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert "_auth_user_id" not in client.session


def test_the_header_offers_sign_in_then_sign_out(client, personas) -> None:
    page = client.get("/en/about/").content.decode()
    assert f'href="{SIGN_IN}?next=/en/about/"' in page
    assert "admin/login" not in page
    client.force_login(personas["planner"])
    page = client.get("/en/about/").content.decode()
    assert 'action="/en/accounts/sign-out/"' in page
    assert "Sign out" in page


def test_the_django_admin_sends_everyone_to_the_sites_sign_in(client, personas) -> None:
    response = client.get("/en/admin/login/?next=/en/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=%2Fen%2Fadmin%2F"
    # a member of the admin group who is not staff signs in on the site, not in the admin
    client.force_login(personas["admin"])
    refused = client.get("/en/admin/login/?next=/en/admin/")
    assert refused.status_code == 403
    staff = User.objects.create_user("staff", password=PASSWORD, is_staff=True)
    client.force_login(staff)
    assert client.get("/en/admin/login/?next=/en/admin/")["Location"] == "/en/admin/"


def test_password_change_needs_the_old_password(client, personas) -> None:
    client.force_login(personas["planner"])
    url = "/en/accounts/password/"
    new = "a new and long passphrase"
    refused = client.post(url, {"old_password": "x", "new_password1": new, "new_password2": new})
    assert refused.status_code == 200
    changed = client.post(
        url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert changed["Location"] == "/en/accounts/password/changed/"
    client.logout()
    assert sign_in(client, "bob", new).status_code == 302
