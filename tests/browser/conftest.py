"""Browser stage: Playwright drives Debian's Chromium (never `playwright install`)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

# --no-sandbox: CI runs as root. The network flags stop calls to outside servers.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
CHROMIUM_ARGS += ["--disable-background-networking", "--disable-component-update"]
CHROMIUM_ARGS += ["--disable-quic", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is missing; the test command installs it with apt-get")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    # Playwright's sync API keeps an event loop running in this thread until the session ends;
    # Django then refuses ORM calls (SynchronousOnlyOperation). Allowed in tests, never settings.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield
