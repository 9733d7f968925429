"""Sign-in, sign-out, passwords, invitations, installer sign-up and the people page.

Django's own auth views, in the site's layout: LoginView's `next` is kept only when it names
this site (url_has_allowed_host_and_scheme), LogoutView answers POST only, and the reset form
says the same whether or not the address has an account. What this module adds: one answer
for every failed sign-in, rate limits per account and per address (accounts.limits), links in
mails built from SITE_URL (never from the request's Host header), and the people page.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, User
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import forms, limits, services
from accounts.backends import find_account
from accounts.tokens import invitation_token_generator
from core import audit, roles
from core.models import Region
from core.throttling import too_many_requests

logger = logging.getLogger(__name__)


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 when the rate limiter cannot count: refuse rather than let guesses through."""
    response = render(
        request,
        "accounts/unavailable.html",
        {"detail": _("Signing in is not possible for a moment. Please try again in a minute.")},
        status=503,
    )
    response["Retry-After"] = "60"
    return response


def _in_current_language(url: str) -> str:
    """`url` (a path of this site) with the language prefix of this page: someone who switched
    to 日本語 on the sign-in page lands on the Japanese page they came from."""
    target = get_language() or settings.LANGUAGE_CODE
    source = translation.get_language_from_path(url)
    if not source or source == target:
        return url
    with translation.override(source):  # resolve() knows only the active language's prefix
        return translate_url(url, target)


def _account_ident(identifier: str) -> str:
    """The sign-in limit's key for an account: its id when it exists, so 'Alice', 'alice' and
    her e-mail share one count; the name as typed otherwise (counted just the same)."""
    user = find_account(identifier)
    return f"user-{user.pk}" if user is not None else f"name-{identifier.strip().lower()}"


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = forms.SignInForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._counted = [
            (limits.SIGN_IN_ADDRESS, audit.client_address(request) or "unknown"),
            (limits.SIGN_IN_ACCOUNT, _account_ident(request.POST.get("username", ""))),
        ]
        try:
            wait_s = limits.take_all(self._counted)
        except limits.LimiterUnavailable:
            return unavailable(request)
        if wait_s is not None:
            logger.warning("sign-in refused by the rate limit from %s", self._counted[0][1])
            return too_many_requests(request, wait_s)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        for scope, ident in self._counted:  # a success is no failed attempt
            limits.give_back(scope, ident)
        response = super().form_valid(form)
        messages.success(
            self.request, _("Signed in as %(name)s.") % {"name": form.get_user().get_username()}
        )
        return response

    def get_success_url(self) -> str:
        return _in_current_language(super().get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "sign_up_open": settings.ACCOUNT_SIGNUP_INSTALLERS,
        }


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView): a link or an image cannot sign anyone out."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are signed out."))
        return response

    def get_success_url(self) -> str:
        return _in_current_language(super().get_success_url())


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def _mail_limited(request: HttpRequest, email: str) -> HttpResponse | None:
    """None if another account mail may be sent to `email` from this client, else the answer.
    Counted for every address asked for, known or not, so the answer tells nothing."""
    try:
        wait_s = limits.take_all(
            [
                (limits.MAIL_ADDRESS, audit.client_address(request) or "unknown"),
                (limits.MAIL_ACCOUNT, email.strip().lower()),
            ]
        )
    except limits.LimiterUnavailable:
        return unavailable(request)
    return None if wait_s is None else too_many_requests(request, wait_s)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        if refusal := _mail_limited(self.request, form.cleaned_data["email"]):
            return refusal
        form.save(
            request=self.request,
            token_generator=self.token_generator,
            from_email=settings.DEFAULT_FROM_EMAIL,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            **services.mail_link_context(),
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation's one-time link: set a password, then sign in. The token is Django's
    reset token with its own salt and lifetime (accounts.tokens); it dies with its first use,
    as setting the password changes what it signs."""

    template_name = "accounts/invitation.html"
    token_generator = invitation_token_generator
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password is set. Sign in with %(name)s and your new password.")
            % {"name": form.user.get_username()},
        )
        return response


def sign_up(request: HttpRequest) -> HttpResponse:
    """Installers sign themselves up, when settings.ACCOUNT_SIGNUP_INSTALLERS allows it."""
    if not settings.ACCOUNT_SIGNUP_INSTALLERS:
        raise Http404
    form = forms.SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if refusal := _mail_limited(request, email):
            return refusal
        services.sign_up_installer(request, email, get_language() or settings.LANGUAGE_CODE)
        return render(request, "accounts/sign_up_done.html", {"email": email})
    return render(request, "accounts/sign_up.html", {"form": form})


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The Django admin's login, replaced: everyone signs in on the site's own (rate-limited)
    page; the admin itself stays for staff."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(next_url)
        return render(request, "accounts/admin_refused.html", status=403)
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


# The people page -----------------------------------------------------------------------


def _admin_only(request: HttpRequest) -> None:
    if not roles.is_site_admin(request.user):
        raise Http404  # what a user may not see is not found


def _people() -> Any:
    return User.objects.order_by("username").prefetch_related(
        Prefetch("groups", queryset=Group.objects.order_by("name"))
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """Admins: everyone, their roles, invite. Stewards: who stewards their regions."""
    if roles.is_site_admin(request.user):
        region_names = {r.code: r.name for r in Region.objects.all()}
        rows = []
        for person in _people():
            held = services.roles_of(person)
            rows.append(
                (
                    person,
                    [services.ROLE_NAMES[r] for r in held.site_role_list()],
                    [region_names.get(code, code) for code in held.steward_list()],
                )
            )
        return render(
            request,
            "accounts/people.html",
            {
                "rows": rows,
                "role_labels": services.ROLE_LABELS,
                "role_names": services.ROLE_NAMES,
                "invite_form": forms.InviteForm(),
            },
        )
    regions = Region.objects.visible_to(request.user, "steward").order_by("code")
    stewarded = [(region, services.stewards_of(region)) for region in regions]
    if not stewarded:
        raise Http404
    return render(request, "accounts/stewards.html", {"stewarded": stewarded})


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invite(
                request, form.cleaned_data["email"], form.roles(), form.cleaned_data["language"]
            )
        except services.Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works once, for %(days)s days.")
                % {"email": person.email, "days": settings.INVITATION_TIMEOUT_S // 86400},
            )
            return redirect("accounts:people")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/invite.html", {"form": form}, status=status)


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: change their roles (POST), with deactivate and resend beside."""
    _admin_only(request)
    subject = get_object_or_404(User, pk=pk)
    current = services.roles_of(subject)
    initial = {"site_roles": sorted(current.site_roles), "steward_of": sorted(current.steward_of)}
    form = forms.RolesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.set_roles(request, subject, form.roles())
            except services.Refused as exc:
                form.add_error(None, str(exc))
            else:
                if changed:
                    messages.success(request, _("Roles of %(person)s saved.") % {"person": subject})
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect("accounts:person", pk=subject.pk)
        status = 400
    return render(
        request,
        "accounts/person.html",
        {"subject": subject, "form": form, "resend_form": forms.ResendForm()},
        status=status,
    )


@require_POST
@login_required
def person_active(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    subject = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(request, subject, active)
    except services.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            (_("%(person)s can sign in again.") if active else _("%(person)s is deactivated."))
            % {"person": subject},
        )
    return redirect("accounts:person", pk=subject.pk)


@require_POST
@login_required
def person_resend(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    subject = get_object_or_404(User, pk=pk)
    form = forms.ResendForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else settings.LANGUAGE_CODE
    try:
        services.resend_invitation(request, subject, language)
    except services.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("A new invitation was sent to %(email)s.") % {"email": subject.email}
        )
    return redirect("accounts:person", pk=subject.pk)
