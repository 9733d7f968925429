"""The mail file: account mail as the site sends it (Django's file backend, EMAIL_FILE_PATH)."""

from __future__ import annotations

import email
import re
import shutil
from email import policy
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what the file backend writes after each message


def empty() -> Path:
    folder = Path(settings.EMAIL_FILE_PATH)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def messages() -> list[EmailMessage]:
    """Every message in the mail folder, oldest file first."""
    found = []
    for path in sorted(
        Path(settings.EMAIL_FILE_PATH).glob("*.log"), key=lambda p: p.stat().st_mtime
    ):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk, policy=policy.default))
    return found  # type: ignore[return-value]


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def link(message: EmailMessage) -> str:
    """The one link of an account mail (reset or invitation)."""
    [url] = re.findall(r"https?://\S+", body(message))
    return url
