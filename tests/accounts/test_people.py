"""The people page: admins invite, change roles and deactivate without the Django admin, each
change in the audit log; a steward sees who stewards their region; installers may sign up when
the setting allows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User

from accounts.tokens import InvitationTokenGenerator, invitation_token_generator
from core import roles
from core.models import AuditEntry
from tests.accounts import mail
from tests.accounts.test_password_reset import _set_password
from tests.accounts.test_sign_in import sign_in

pytestmark = pytest.mark.django_db
NEW = "my own long passphrase 9"


def _groups(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


@pytest.mark.parametrize("role", ["anonymous", "planner", "installer"])
def test_only_admins_and_stewards_open_the_people_page(client, personas, role) -> None:
    if personas[role]:
        client.force_login(personas[role])
    response = client.get("/en/people/")
    assert response.status_code == (302 if role == "anonymous" else 404)
    if personas[role]:
        assert client.get("/en/people/invite/").status_code == 404
        person = personas["planner"].pk
        assert client.post(f"/en/people/{person}/", {"site_roles": ["admin"]}).status_code == 404
        assert roles.ADMIN not in _groups(personas["planner"])


def test_an_invitation_sets_a_password_once_and_gives_the_invited_role(
    client, personas, okinawa, mailbox, django_capture_on_commit_callbacks
) -> None:
    client.force_login(personas["admin"])
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves after the commit
        response = client.post(
            "/en/people/invite/",
            {"email": "Nao@Example.org", "steward_of": ["okinawa"], "language": "ja"},
        )
    assert response.status_code == 302
    nao = User.objects.get(email="nao@example.org")
    assert nao.username == "nao@example.org"
    assert not nao.has_usable_password()
    assert _groups(nao) == {"steward:okinawa"}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.INVITE)
    assert (entry.username, entry.object_id) == ("root", str(nao.pk))
    assert entry.summary["added"] == ["steward:okinawa"]

    [message] = mail.messages()
    assert message["To"] == "nao@example.org"
    link = mail.link(message)
    assert "/ja/accounts/invitation/" in link
    client.logout()
    form, done = _set_password(client, link, NEW)
    assert form.status_code == 200
    assert done["Location"] == "/ja/accounts/sign-in/"
    assert sign_in(client, "nao@example.org", NEW).status_code == 302
    assert client.get("/en/imports/okinawa/").status_code == 200  # the steward's page
    client.logout()
    used, _ = _set_password(client, link, "another passphrase 10")
    assert b'id="link-invalid"' in used.content


def test_an_invitation_link_expires(personas) -> None:
    nao = User.objects.create_user("nao@example.org", "nao@example.org")
    nao.set_unusable_password()
    nao.save()

    class EightDaysAgo(InvitationTokenGenerator):
        def _now(self) -> dt.datetime:
            return super()._now() - dt.timedelta(days=8)

    old = EightDaysAgo().make_token(nao)
    assert not invitation_token_generator.check_token(nao, old)  # INVITATION_TIMEOUT_S: 7 days
    assert invitation_token_generator.check_token(nao, invitation_token_generator.make_token(nao))


def test_a_reset_token_is_no_invitation(personas) -> None:
    from django.contrib.auth.tokens import default_token_generator

    bob = personas["planner"]
    assert not invitation_token_generator.check_token(bob, default_token_generator.make_token(bob))


def test_an_address_with_an_account_is_not_invited_again(client, personas, mailbox) -> None:
    client.force_login(personas["admin"])
    response = client.post(
        "/en/people/invite/",
        {"email": "bob@example.org", "site_roles": ["admin"], "language": "en"},
    )
    assert response.status_code == 400
    assert b"already has an account" in response.content
    assert roles.ADMIN not in _groups(personas["planner"])
    assert mail.messages() == []


def test_role_changes_are_audited_with_what_was_added_and_removed(
    client, personas, okinawa, gunma
) -> None:
    client.force_login(personas["admin"])
    bob = personas["planner"]
    response = client.post(
        f"/en/people/{bob.pk}/", {"site_roles": ["installer"], "steward_of": ["gunma"]}
    )
    assert response.status_code == 302
    assert _groups(bob) == {"installer", "steward:gunma"}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROLES_CHANGE)
    assert entry.summary == {
        "person": "bob",
        "added": ["installer", "steward:gunma"],
        "removed": ["planner"],
    }
    assert entry.username == "root"
    # saving the same roles again changes nothing and writes nothing
    client.post(f"/en/people/{bob.pk}/", {"site_roles": ["installer"], "steward_of": ["gunma"]})
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ROLES_CHANGE).count() == 1


def test_groups_that_are_no_role_are_left_alone(client, personas) -> None:
    bob = personas["planner"]
    bob.groups.add(Group.objects.create(name="newsletter"))
    client.force_login(personas["admin"])
    client.post(f"/en/people/{bob.pk}/", {"site_roles": ["planner", "installer"]})
    assert _groups(bob) == {"planner", "installer", "newsletter"}


def test_a_deactivated_person_cannot_sign_in_and_it_is_audited(client, personas) -> None:
    bob = personas["planner"]
    client.force_login(personas["admin"])
    assert client.post(f"/en/people/{bob.pk}/active/", {"active": "0"}).status_code == 302
    bob.refresh_from_db()
    assert not bob.is_active
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DEACTIVATE, object_id=str(bob.pk)
    ).exists()
    client.logout()
    refused = sign_in(client, "bob")
    assert refused.status_code == 200
    assert b"do not match an active account" in refused.content
    client.force_login(personas["admin"])
    client.post(f"/en/people/{bob.pk}/active/", {"active": "1"})
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REACTIVATE).exists()


def test_an_admin_cannot_lock_themselves_out(client, personas) -> None:
    root = personas["admin"]
    client.force_login(root)
    client.post(f"/en/people/{root.pk}/active/", {"active": "0"})
    response = client.post(f"/en/people/{root.pk}/", {"site_roles": ["planner"]})
    root.refresh_from_db()
    assert root.is_active
    assert roles.ADMIN in _groups(root)
    assert response.status_code == 400
    assert not AuditEntry.objects.exists()


def test_an_admin_who_is_not_superuser_cannot_change_a_superuser(client, personas) -> None:
    boss = User.objects.create_superuser("boss", "boss@example.org", "x" * 20)
    client.force_login(personas["admin"])
    client.post(f"/en/people/{boss.pk}/active/", {"active": "0"})
    boss.refresh_from_db()
    assert boss.is_active


def test_a_steward_sees_who_stewards_their_region_read_only(client, personas, okinawa) -> None:
    colleague = User.objects.create_user("kenji", "kenji@example.org")
    colleague.groups.add(okinawa.steward_group)
    client.force_login(personas["okinawa_steward"])
    page = client.get("/en/people/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "kenji@example.org" in html
    assert "alice@example.org" in html
    assert "carol" not in html  # Gunma's steward
    assert "<form" not in html.split("<main>")[1].split("</main>")[0]  # nothing to change
    assert client.get(f"/en/people/{colleague.pk}/").status_code == 404


def test_installer_sign_up_is_off_by_default(client) -> None:
    assert client.get("/en/accounts/sign-up/").status_code == 404
    assert client.post("/en/accounts/sign-up/", {"email": "x@example.org"}).status_code == 404
    assert not User.objects.filter(email="x@example.org").exists()


def test_installer_sign_up_when_allowed_mails_a_link_and_gives_the_installer_role(
    client, settings, mailbox, personas, django_capture_on_commit_callbacks
) -> None:
    settings.ACCOUNT_SIGNUP_INSTALLERS = True
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post("/en/accounts/sign-up/", {"email": "oki@example.org"})
        taken = client.post("/en/accounts/sign-up/", {"email": "bob@example.org"})
    # the same page whether or not the address has an account (no enumeration)
    assert new.status_code == taken.status_code == 200
    main = [r.content.decode().split("<main>")[1].split("</main>")[0] for r in (new, taken)]
    assert main[0].replace("oki@example.org", "@") == main[1].replace("bob@example.org", "@")
    [message] = mail.messages()  # nothing to bob, who has an account
    assert message["To"] == "oki@example.org"
    oki = User.objects.get(email="oki@example.org")
    assert _groups(oki) == {"installer"}
    _set_password(client, mail.link(message), NEW)
    assert sign_in(client, "oki@example.org", NEW).status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SIGN_UP)
    assert entry.username == "oki@example.org"
