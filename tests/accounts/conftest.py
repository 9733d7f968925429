from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.accounts import mail


@pytest.fixture
def mailbox(settings) -> None:
    """Account mail goes to the mail file (pytest-django would keep it in memory)."""
    settings.EMAIL_BACKEND = mail.FILE_BACKEND
    mail.empty()


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    """Each test starts with no sign-in attempts counted (the test cache is this slot's own)."""
    cache.clear()
