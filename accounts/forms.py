"""Forms of the account pages and the people page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.services import ROLE_LABELS, Roles
from core import roles
from core.models import Region

# One answer for every failed sign-in: unknown name, wrong password and inactive account alike.
SIGN_IN_FAILED = _(
    "The user name or e-mail and the password do not match an active account. Both may be "
    "case-sensitive."
)


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with one message for every failure."""

    error_messages = {"invalid_login": SIGN_IN_FAILED, "inactive": SIGN_IN_FAILED}

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("User name or e-mail")
        self.fields["username"].widget.attrs["autocomplete"] = "username"


def _language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language of the mail"),
        choices=settings.LANGUAGES,
        initial=lambda: (get_language() or settings.LANGUAGE_CODE)[:2],
    )


class RolesForm(forms.Form):
    """Site roles and stewarded regions, as check boxes."""

    site_roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(r, ROLE_LABELS[r]) for r in roles.SITE_ROLES],
    )
    steward_of = forms.MultipleChoiceField(
        label=_("Data steward of"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Stewards upload, roll back, recompute and publish their region's data."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steward_of"].choices = [
            (r.code, r.name) for r in Region.objects.order_by("code")
        ]

    def roles(self) -> Roles:
        return Roles(
            site_roles=frozenset(self.cleaned_data["site_roles"]),
            steward_of=frozenset(self.cleaned_data["steward_of"]),
        )


class InviteForm(RolesForm):
    """Invite a person by e-mail with a role or a region to steward."""

    email = forms.EmailField(label=_("E-mail"), max_length=150)
    language = _language_field()

    field_order = ["email", "site_roles", "steward_of", "language"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("site_roles") and not cleaned.get("steward_of"):
            raise forms.ValidationError(_("Choose a role or a region to steward."))
        return cleaned


class ResendForm(forms.Form):
    language = _language_field()


class SignUpForm(forms.Form):
    """Installer sign-up: an e-mail address; the password is set from the mailed link."""

    email = forms.EmailField(label=_("E-mail"), max_length=150)
