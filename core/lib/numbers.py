"""Numbers as people type them, in their page's language (babel: CLDR's separators).

"1,200" is 1200 in English and Japanese; "1 200,5" is 1200.5 in Russian and Tajik, whose
group separator CLDR gives as a no-break space (U+00A0; newer CLDR data a narrow one, U+202F):
a plain, thin or narrow space is read as that separator too. An entry that one of the site's
languages reads one way and another the other way is refused, never guessed: "1,200" on a
Russian page (a decimal comma with exactly three digits after it, as an English thousands
group) could be 1.2 or 1200. The dot is no group separator in any of the site's languages, so
"1.200" on an English page is 1.2.

Pure: babel only, no Django.
"""

from __future__ import annotations

import math
import re

from babel.core import UnknownLocaleError
from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

SPACES = (" ", "\u00a0", "\u202f", "\u2009")
_ENGLISH_GROUPS = re.compile(r"[+-]?\d{1,3}(,\d{3})+")


class NumberRefused(ValueError):
    """Why a text is not a number here: "invalid", "ambiguous" or "finite"."""

    def __init__(self, reason: str, text: str) -> None:
        super().__init__(f"{reason}: {text!r}")
        self.reason = reason


def parse_number(text: str, language: str) -> float:
    """The number `text` means on a page in `language` (en, ja, ru, tg, ...)."""
    locale = language.replace("-", "_") or "en"
    try:
        group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    except (UnknownLocaleError, ValueError):
        locale, group, decimal = "en", ",", "."
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 64:
        raise NumberRefused("invalid", text)
    if group in SPACES:
        for space in SPACES:
            cleaned = cleaned.replace(space, group)
    if decimal == "," and group != "," and _ENGLISH_GROUPS.fullmatch(cleaned):
        raise NumberRefused("ambiguous", text)
    try:
        value = float(parse_decimal(cleaned, locale=locale, strict=True))
    except (NumberFormatError, ValueError, ArithmeticError) as exc:
        raise NumberRefused("invalid", text) from exc
    if not math.isfinite(value):
        raise NumberRefused("finite", text)
    return value
