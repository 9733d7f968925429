"""What a loader says when a fixture file is wrong."""

from __future__ import annotations


class FixtureError(ValueError):
    """A fixture file is wrong; the message names the file and the field."""


def refusal_summary(file_name: str, errors: list[dict]) -> str:
    """A fixture file's first problem as one line, and how many there were."""
    first = errors[0]
    return (
        f"{file_name}: row {first['row']}, field {first['field']!r}: "
        f"{first['message'] % first.get('params', {})} ({len(errors)} problems)"
    )
