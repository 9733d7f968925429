"""People sign in through the site's own form (no force_login): a planner, an installer, a
steward and an admin each reach their page and sign out; a forgotten password is reset from the
mail file; an invited person sets a password and signs in with the invited role. No page
visited breaks the Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core import roles
from tests.accounts import mail
from tests.conftest import ARTIFACTS
from tests.factories import UserFactory, role_group

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    """What the browser refused under the Content-Security-Policy while the test ran."""
    found: list[str] = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return found


@pytest.fixture
def mail_file(settings) -> None:
    settings.EMAIL_BACKEND = mail.FILE_BACKEND
    mail.empty()


def _sign_in(page: Page, username: str, password: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#sign-in-form button[type=submit]")


def _sign_out(page: Page) -> None:
    page.click("form.sign-out button")
    expect(page.locator(".messages")).to_contain_text("You are signed out.")
    expect(page.locator(".site-header nav")).to_contain_text("Sign in")


# The role, the page it came for, and what that page shows only to it.
ROLE_PAGES = [
    ("planner", roles.PLANNER, "/en/planning/okinawa/", "#districts-table"),
    ("installer", roles.INSTALLER, "/en/design/?lat=26.2&lon=127.7", "form.estimate-form"),
    ("steward", "steward", "/en/imports/okinawa/", "#file"),
    ("admin", roles.ADMIN, "/en/people/", "#people"),
]


@pytest.mark.parametrize(("username", "group", "path", "proof"), ROLE_PAGES)
def test_each_role_signs_in_through_the_form_reaches_its_page_and_signs_out(
    page: Page, live_server, okinawa, csp_violations, username, group, path, proof
) -> None:
    person = UserFactory(username=username)
    if group == "steward":
        person.groups.add(okinawa.steward_group)
    else:
        person.groups.add(role_group(group))
    assert not person.is_staff

    page.goto(f"{live_server.url}{path}")
    if page.url.startswith(f"{live_server.url}/en/accounts/sign-in/"):
        pass  # a page for signed-in people sends to the form by itself
    else:
        page.click(".site-header a:text('Sign in')")
    expect(page.locator("h1")).to_have_text("Sign in")
    _sign_in(page, username, "not the password")
    expect(page.locator(".form-errors")).to_contain_text("do not match an active account")
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}{path}")  # back where the person was going
    expect(page.locator(".messages")).to_contain_text(f"Signed in as {username}.")
    expect(page.locator(proof)).to_be_visible()
    expect(page.locator(".site-header .user")).to_have_text(username)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"signed-in-{username}.png", full_page=True)
    _sign_out(page)
    assert csp_violations == []


def test_a_forgotten_password_is_reset_from_the_mail_file(
    page: Page, live_server, mail_file, csp_violations
) -> None:
    UserFactory(username="kai", email="kai@example.org")
    page.goto(f"{live_server.url}/en/accounts/sign-in/")
    page.click("text=Forgot your password?")
    page.fill("#id_email", "kai@example.org")
    page.click("form.account-form button[type=submit]")
    expect(page.locator("#reset-sent")).to_be_visible()

    [message] = mail.messages()
    assert message["To"] == "kai@example.org"
    link = mail.link(message)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    page.fill("#id_new_password1", "a brand new passphrase 42")
    page.fill("#id_new_password2", "a brand new passphrase 42")
    page.click("form.account-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Password set")
    page.click("main a.button")
    _sign_in(page, "kai", "a brand new passphrase 42")
    expect(page.locator(".site-header .user")).to_have_text("kai")
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))  # a second use
    expect(page.locator("#link-invalid")).to_be_visible()
    assert csp_violations == []


def test_an_invited_steward_sets_a_password_and_signs_in_with_the_role(
    page: Page, live_server, okinawa, mail_file, csp_violations
) -> None:
    admin = UserFactory(username="root")
    admin.groups.add(role_group(roles.ADMIN))
    page.goto(f"{live_server.url}/en/people/")
    _sign_in(page, "root", PASSWORD)
    page.click("text=Invite a person")
    page.fill("#id_email", "nao@example.org")
    page.check("input[name=steward_of][value=okinawa]")
    page.select_option("#id_language", "ja")
    page.click("#invite-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Invitation sent to nao@example.org")
    expect(page.locator("#people")).to_contain_text("nao@example.org")
    _sign_out(page)

    [message] = mail.messages()
    link = mail.link(message)
    assert "/ja/accounts/invitation/" in link
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.fill("#id_new_password1", "nao's own passphrase 7")
    page.fill("#id_new_password2", "nao's own passphrase 7")
    page.click("form.account-form button[type=submit]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "invitation-password-set-ja.png", full_page=True)
    _sign_in(page, "nao@example.org", "nao's own passphrase 7")
    page.goto(f"{live_server.url}/ja/imports/okinawa/")
    expect(page.locator("#file")).to_be_visible()  # the steward's upload page
    assert csp_violations == []
