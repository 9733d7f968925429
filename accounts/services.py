"""People: invitations, roles, deactivation and installer sign-up. Each change of who may do
what is written to the audit log in the same transaction as the change.

Roles are Django groups (core.roles): the site roles planner, installer and admin, and one
`steward:<region>` group per region. Groups that are no role are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.tokens import invitation_token_generator
from core import audit, roles
from core.models import AuditEntry, Region

Action = AuditEntry.Action

# The site roles' short names, as the people page lists them.
ROLE_NAMES = {
    roles.PLANNER: _("planner"),
    roles.INSTALLER: _("installer"),
    roles.ADMIN: _("admin"),
}
# The site roles as the people page offers them, with what each may do.
ROLE_LABELS = {
    roles.PLANNER: _("Planner: compares districts and runs scenarios"),
    roles.INSTALLER: _("Installer: makes and prints design estimates"),
    roles.ADMIN: _("Admin: everything, in every region, and the people page"),
}


class Refused(Exception):
    """A change the people page will not make; the message says why, in the user's words."""


@dataclass(frozen=True)
class Roles:
    """What a person may do: site roles and the regions they steward (by code)."""

    site_roles: frozenset[str]
    steward_of: frozenset[str]

    def group_names(self) -> set[str]:
        return set(self.site_roles) | {roles.steward_group_name(c) for c in self.steward_of}

    def site_role_list(self) -> list[str]:
        return sorted(self.site_roles)

    def steward_list(self) -> list[str]:
        return sorted(self.steward_of)


def _is_role_group(name: str) -> bool:
    return name in roles.SITE_ROLES or name.startswith(roles.STEWARD_GROUP_PREFIX)


def roles_of(user: User) -> Roles:
    """The person's site roles and stewarded regions, from their groups."""
    names = [g.name for g in user.groups.all()]  # uses a prefetch when there is one
    return Roles(
        site_roles=frozenset(n for n in names if n in roles.SITE_ROLES),
        steward_of=frozenset(
            n.removeprefix(roles.STEWARD_GROUP_PREFIX)
            for n in names
            if n.startswith(roles.STEWARD_GROUP_PREFIX)
        ),
    )


def _groups(wanted: Roles) -> list[Group]:
    unknown = set(wanted.site_roles) - set(roles.SITE_ROLES)
    if unknown:
        raise Refused(_("Unknown role: %(role)s.") % {"role": ", ".join(sorted(unknown))})
    regions = {r.code: r for r in Region.objects.filter(code__in=wanted.steward_of)}
    missing = set(wanted.steward_of) - set(regions)
    if missing:
        raise Refused(_("Unknown region: %(region)s.") % {"region": ", ".join(sorted(missing))})
    site_groups = [Group.objects.get_or_create(name=name)[0] for name in sorted(wanted.site_roles)]
    steward_groups = []
    for code in sorted(regions):
        region = regions[code]
        if region.steward_group is None:
            region.save()  # makes its group
        steward_groups.append(region.steward_group)
    return [*site_groups, *steward_groups]


def _check_may_change(request: HttpRequest, person: User) -> None:
    actor = request.user
    if person.is_superuser and not actor.is_superuser:
        raise Refused(_("Only a superuser may change a superuser."))


def set_roles(request: HttpRequest, person: User, wanted: Roles) -> bool:
    """Give `person` exactly the roles `wanted` (other groups untouched). Audited; False if
    nothing changed. An admin cannot take the admin role from themselves (no lock-out)."""
    _check_may_change(request, person)
    takes_own_admin = person.pk == request.user.pk and roles.ADMIN not in wanted.site_roles
    if takes_own_admin and not person.is_superuser and roles.ADMIN in roles_of(person).site_roles:
        raise Refused(_("You cannot take the admin role from yourself."))
    target = _groups(wanted)
    with transaction.atomic():
        current = {g.name: g for g in person.groups.all() if _is_role_group(g.name)}
        wanted_names = {g.name for g in target}
        added = sorted(wanted_names - set(current))
        removed = sorted(set(current) - wanted_names)
        if not added and not removed:
            return False
        person.groups.remove(*[current[n] for n in removed])
        person.groups.add(*[g for g in target if g.name in added])
        audit.record(
            request,
            Action.ROLES_CHANGE,
            target=person,
            summary={"person": person.get_username(), "added": added, "removed": removed},
        )
    return True


def set_active(request: HttpRequest, person: User, active: bool) -> bool:
    """Deactivate (cannot sign in; sessions end at their next request) or reactivate."""
    _check_may_change(request, person)
    if person.pk == request.user.pk and not active:
        raise Refused(_("You cannot deactivate yourself."))
    if person.is_active == active:
        return False
    with transaction.atomic():
        person.is_active = active
        person.save(update_fields=["is_active"])
        audit.record(
            request,
            Action.REACTIVATE if active else Action.DEACTIVATE,
            target=person,
            summary={"person": person.get_username()},
        )
    return True


def _site_url() -> tuple[str, str]:
    """(protocol, domain) of the links in mails: SITE_URL, never the request's Host header."""
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme or "https", parts.netloc


def mail_link_context() -> dict[str, Any]:
    """What the password-reset form needs to write links to SITE_URL."""
    protocol, domain = _site_url()
    return {
        "domain_override": domain,
        "use_https": protocol == "https",
        "extra_email_context": {"site_name": _("GroundHeat Atlas")},
    }


def invitation_url(person: User, language: str) -> str:
    """The one-time link that lets `person` set their password, in `language`."""
    protocol, domain = _site_url()
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = invitation_token_generator.make_token(person)
    with translation.override(language):
        path = reverse("accounts:invitation", kwargs={"uidb64": uid, "token": token})
    return f"{protocol}://{domain}{path}"


def send_invitation(person: User, language: str, inviter: User | None) -> None:
    """Mail `person` their one-time link, in `language` (after the transaction commits)."""
    url = invitation_url(person, language)
    days = settings.INVITATION_TIMEOUT_S // 86400
    with translation.override(language):
        context = {
            "person": person,
            "inviter": inviter,
            "url": url,
            "days": days,
            "roles": [ROLE_LABELS[r] for r in sorted(roles_of(person).site_roles)],
            "regions": sorted(roles_of(person).steward_of),
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    )


def normalised_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


def invite(request: HttpRequest, email: str, wanted: Roles, language: str) -> User:
    """Make an account for `email` with the roles `wanted` and no password, and mail its
    one-time link. Refused when the address already has an account."""
    email = normalised_email(email)
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise Refused(
            _("%(email)s already has an account: change its roles instead.") % {"email": email}
        )
    target = _groups(wanted)
    with transaction.atomic():
        person = User(username=email, email=email)
        person.set_unusable_password()
        person.save()
        person.groups.add(*target)
        audit.record(
            request,
            Action.INVITE,
            target=person,
            summary={
                "person": email,
                "added": sorted(g.name for g in target),
                "language": language,
            },
        )
        send_invitation(person, language, request.user)
    return person


def resend_invitation(request: HttpRequest, person: User, language: str) -> None:
    """A new link for someone who has not set a password yet (the old link stays valid until
    it expires or a password is set)."""
    _check_may_change(request, person)
    if person.has_usable_password():
        raise Refused(_("%(person)s has set a password already.") % {"person": person.email})
    with transaction.atomic():
        audit.record(
            request, Action.INVITE, target=person, summary={"person": person.email, "resent": True}
        )
        send_invitation(person, language, request.user)


def sign_up_installer(request: HttpRequest, email: str, language: str) -> None:
    """Self-service sign-up (settings.ACCOUNT_SIGNUP_INSTALLERS): an installer account without
    a password, whose one-time link is mailed to `email`, so only the owner of the address can
    use it. An address that has an account already gets nothing, and the page says the same
    either way (no account enumeration)."""
    email = normalised_email(email)
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        return
    with transaction.atomic():
        person = User(username=email, email=email)
        person.set_unusable_password()
        person.save()
        person.groups.add(Group.objects.get_or_create(name=roles.INSTALLER)[0])
        audit.record(
            request,
            Action.SIGN_UP,
            target=person,
            user=person,
            summary={"person": email, "added": [roles.INSTALLER]},
        )
        send_invitation(person, language, None)


def stewards_of(region: Region) -> list[User]:
    """The active people who steward `region` (for its stewards to see, read-only)."""
    if region.steward_group_id is None:
        return []
    return list(
        User.objects.filter(groups=region.steward_group, is_active=True).order_by("username")
    )
