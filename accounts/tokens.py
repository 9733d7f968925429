"""One-time links of invitations and installer sign-up: Django's password-reset tokens with
their own salt and lifetime.

A token is an HMAC of the user's id, password hash, last sign-in and e-mail with a timestamp
(django.contrib.auth.tokens). Setting the password changes the hash, so a link works once; a
password-reset token is no invitation token (another salt), nor the other way round.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens valid for settings.INVITATION_TIMEOUT_S instead of PASSWORD_RESET_TIMEOUT."""

    key_salt = "groundheat.accounts.InvitationTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        # PasswordResetTokenGenerator.check_token with the invitation's lifetime.
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.INVITATION_TIMEOUT_S


invitation_token_generator = InvitationTokenGenerator()
