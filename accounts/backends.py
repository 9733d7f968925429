"""Sign in with a user name or an e-mail address (invited people are known by their e-mail)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest


class UsernameOrEmailBackend(ModelBackend):
    """Django's ModelBackend, looking the account up by user name, then by e-mail, both
    case-insensitively. An unknown name, a wrong password and an inactive account all give
    None, and an unknown name still costs one password hash, as in ModelBackend, so neither
    the answer nor its time tells whether the account exists."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if username is None or password is None:
            return None
        user = find_account(username)
        if user is None:
            get_user_model()().set_password(password)  # the same work as a real check
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def find_account(identifier: str) -> Any:
    """The one user whose user name, or else whose e-mail, is `identifier` (any case)."""
    users = get_user_model()._default_manager
    identifier = identifier.strip()
    if not identifier:
        return None
    by_name = list(users.filter(username__iexact=identifier)[:2])
    if len(by_name) == 1:
        return by_name[0]
    if "@" in identifier:
        by_email = list(users.filter(email__iexact=identifier)[:2])
        if len(by_email) == 1:
            return by_email[0]
    return None
