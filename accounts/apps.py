from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in, sign-out, passwords, invitations and the people page (issue 18)."""

    name = "accounts"
    verbose_name = _("Accounts")
