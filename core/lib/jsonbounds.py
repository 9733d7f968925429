"""Read JSON within bounds: depth, finiteness. Pure: no Django.

Python's json module recurses once per nesting level, so 50,000 brackets raise RecursionError
deep in the decoder; and it reads `1e400` as infinity and `NaN` as a float, neither of which is
JSON (RFC 8259 §6). This checks the depth first, with a scan that skips strings, and refuses
non-finite numbers while parsing.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 64


class JSONRefused(ValueError):
    """The text is not JSON we read; `reason` is one of "deep", "finite", "syntax"."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


def nesting_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """The deepest nesting of [ and { outside strings, counting stops just past `limit`."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONRefused("finite", text[:40])
    return value


def _no_constant(name: str) -> float:
    raise JSONRefused("finite", name)


def loads(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """json.loads with at most `max_depth` levels and finite numbers only."""
    if nesting_depth(text, max_depth) > max_depth:
        raise JSONRefused("deep")
    try:
        return json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)
    except JSONRefused:
        raise
    except ValueError as exc:  # JSONDecodeError, and an int too long for int()
        raise JSONRefused("syntax", str(exc)) from exc
