"""Coordinates as people type them: decimal degrees or degrees, minutes and seconds.

Pure: no Django. `parse_coordinates` answers None for text that is not coordinates (a place
name, a borehole code), so a search box can try it first and fall back to names.

Accepted, with any of the separators shown (WGS84, latitude first unless letters say otherwise):
    36.3895, 139.0634        36.3895 139.0634        36,3895; 139,0634  (decimal commas)
    36°23′22″N 139°3′48″E    N 36 23 22.5 E 139 3 48  36°23.37'N, 139°03.8'E
    北緯36度23分22秒 東経139度3分48秒                 36°23′22″ с.ш. 139°3′48″ в.д.
Without hemisphere letters the first number is the latitude (ISO 6709 order), except when it
cannot be one (|first| > 90 and |second| ≤ 90): then the pair is read as longitude, latitude
(the GeoJSON order people paste).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_LATITUDE_DEG = 90.0
MAX_LONGITUDE_DEG = 180.0
MINUTES_PER_DEGREE = 60.0
SECONDS_PER_DEGREE = 3600.0
MAX_INPUT_CHARS = 100  # coordinates are short; longer text is a name or nothing

# Hemisphere words of the site's languages, folded to n/s/e/w (after NFKC and lower-casing).
_HEMISPHERE_WORDS = (
    ("北緯", " n "),
    ("南緯", " s "),
    ("東経", " e "),
    ("西経", " w "),
    ("с.ш.", " n "),
    ("ю.ш.", " s "),
    ("в.д.", " e "),
    ("з.д.", " w "),
    ("с. ш.", " n "),
    ("ю. ш.", " s "),
    ("в. д.", " e "),
    ("з. д.", " w "),
)
# Symbols folded to °, ′ and ″ (typed quotes, Japanese 度分秒, the ordinal sign for °).
_SYMBOLS = (
    ("′′", "″"),  # NFKC splits the double prime into two primes
    ("度", "°"),
    ("分", "′"),
    ("秒", "″"),
    ("º", "°"),
    ("˚", "°"),
    ("''", "″"),
    ("’’", "″"),
    ('"', "″"),
    ("”", "″"),
    ("'", "′"),
    ("’", "′"),
    ("−", "-"),  # minus sign
)
_TOKEN = re.compile(
    r"\s*(?:(?P<letter>[nsew])|(?P<sep>;)|(?P<number>[-+]?\d+(?:\.\d+)?)\s*"
    r"(?P<unit>[°′″])?)"
)
_ALLOWED = re.compile(r"[\d\s.,;°′″nsew+\-]+")


def gettext_noop(message: str) -> str:
    """Marks an English message for the catalogues (makemessages looks for this name); the
    caller translates it when showing it. core.lib imports no Django, so this is ours."""
    return message


class CoordinateError(ValueError):
    """Text that reads as coordinates but is not a valid position.

    `message` is an English msgid with %(name)s placeholders filled from `params`: translate
    it where it is shown, `gettext(error.message) % error.params`.
    """

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class LatLon:
    """A WGS84 position in decimal degrees."""

    lat: float
    lon: float


@dataclass
class _Part:
    numbers: list[tuple[float, str]]  # (value, unit symbol or "")
    letter: str = ""
    negative: bool = False


def parse_coordinates(text: str) -> LatLon | None:
    """The position `text` names, None if it is not coordinates.

    Raises CoordinateError when the text is coordinates but not a position on Earth (latitude
    beyond ±90°, longitude beyond ±180°, minutes or seconds of 60 or more, two latitudes).
    """
    normalised = _normalise(text)
    if normalised is None:
        return None
    tokens = _tokenise(normalised)
    if tokens is None:
        return None
    parts = _split(tokens)
    if parts is None:
        return None
    first, second = (_degrees(part) for part in parts)
    letters = (parts[0].letter, parts[1].letter)
    if any(letters):
        if not all(letters):
            return None
        kinds = {"n": "lat", "s": "lat", "e": "lon", "w": "lon"}
        if kinds[letters[0]] == kinds[letters[1]]:
            raise CoordinateError(
                gettext_noop("Give one latitude (N or S) and one longitude (E or W).")
            )
        lat, lon = (first, second) if kinds[letters[0]] == "lat" else (second, first)
    elif abs(first) > MAX_LATITUDE_DEG and abs(second) <= MAX_LATITUDE_DEG:
        lat, lon = second, first  # longitude first, as in GeoJSON
    else:
        lat, lon = first, second
    if abs(lat) > MAX_LATITUDE_DEG:
        raise CoordinateError(gettext_noop("Latitude %(value)s° is beyond ±90°."), value=f"{lat:g}")
    if abs(lon) > MAX_LONGITUDE_DEG:
        raise CoordinateError(
            gettext_noop("Longitude %(value)s° is beyond ±180°."), value=f"{lon:g}"
        )
    return LatLon(lat=lat, lon=lon)


def _normalise(text: str) -> str | None:
    """Fold widths, case, hemisphere words, symbols and decimal commas; None if not numeric."""
    if len(text) > MAX_INPUT_CHARS:
        return None
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    for word, letter in _HEMISPHERE_WORDS:
        folded = folded.replace(word, letter)
    for typed, symbol in _SYMBOLS:
        folded = folded.replace(typed, symbol)
    if not folded or not _ALLOWED.fullmatch(folded) or not re.search(r"\d", folded):
        return None
    # A comma is a decimal comma when every comma sits between digits and the numbers are kept
    # apart by something else (a semicolon, spaces, symbols or letters): "36,39 139,06".
    if "," in folded:
        between_digits = len(re.findall(r"\d,\d", folded)) == folded.count(",")
        apart = ";" in folded or re.search(r"\d[°′″]?\s+[-+]?\d|[nsew°′″]", folded)
        if between_digits and "." not in folded and apart:
            folded = folded.replace(",", ".")
        else:
            folded = folded.replace(",", ";")
    return folded


def _tokenise(text: str) -> list[re.Match[str]] | None:
    """Letters, separators and numbers (with their symbol); None if anything else is left."""
    tokens = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            return None
        number = match.group("number")
        sign_at = match.start("number")
        if number and number[0] in "+-" and sign_at > 0 and text[sign_at - 1] in "0123456789.":
            return None  # "10-12" is a code or a range, not two numbers
        tokens.append(match)
        position = match.end()
    return tokens


def _split(tokens: list[re.Match[str]]) -> tuple[_Part, _Part] | None:
    """Two coordinate parts: split at a separator, at the hemisphere letters, at the second
    degree sign, or in the middle of a run of plain numbers."""
    numbers = [t for t in tokens if t.group("number")]
    letters = [t for t in tokens if t.group("letter")]
    separators = [t for t in tokens if t.group("sep")]
    if len(numbers) < 2 or len(separators) > 1 or len(letters) not in (0, 2):
        return None
    groups: list[list[re.Match[str]]]
    if separators:
        at = tokens.index(separators[0])
        groups = [tokens[:at], tokens[at + 1 :]]
    elif letters:
        prefixed = tokens[0].group("letter") is not None
        second = tokens.index(letters[1])
        at = second if prefixed else tokens.index(letters[0]) + 1
        groups = [tokens[:at], tokens[at:]]
    elif sum(1 for t in numbers if t.group("unit") == "°") == 2:
        at = [i for i, t in enumerate(tokens) if t.group("unit") == "°"][1]
        groups = [tokens[:at], tokens[at:]]
    elif len(numbers) % 2 == 0 and len(numbers) <= 6:
        half = len(numbers) // 2
        groups = [tokens[:half], tokens[half:]]
    else:
        return None
    parts = [_part(group) for group in groups]
    if parts[0] is None or parts[1] is None:
        return None
    return parts[0], parts[1]


def _part(tokens: list[re.Match[str]]) -> _Part | None:
    """One coordinate: an optional leading or trailing letter around 1–3 numbers."""
    letters = [t.group("letter") for t in tokens if t.group("letter")]
    numbers = [t for t in tokens if t.group("number")]
    if len(letters) > 1 or not 1 <= len(numbers) <= 3:
        return None
    if letters and tokens[0].group("letter") is None and tokens[-1].group("letter") is None:
        return None  # a letter in the middle of a coordinate
    values = []
    negative = False
    for index, token in enumerate(numbers):
        text = token.group("number")
        if text[0] in "+-":
            if index > 0:
                return None  # only the degrees carry a sign
            negative = text[0] == "-"
            text = text[1:]
        values.append((float(text), token.group("unit") or ""))
    expected = ["°", "′", "″"][: len(values)]
    if any(unit and unit != want for (_value, unit), want in zip(values, expected, strict=True)):
        return None
    return _Part(values, letters[0] if letters else "", negative)


def _degrees(part: _Part) -> float:
    """Decimal degrees of one part, signed by its sign or its letter (S and W are negative)."""
    values = [value for value, _unit in part.numbers]
    if any(value != int(value) for value in values[:-1]):
        raise CoordinateError(
            gettext_noop("Only the last of degrees, minutes and seconds may have decimals.")
        )
    for value in values[1:]:
        if value >= MINUTES_PER_DEGREE:
            raise CoordinateError(gettext_noop("Minutes and seconds must be below 60."))
    degrees = values[0]
    if len(values) > 1:
        degrees += values[1] / MINUTES_PER_DEGREE
    if len(values) > 2:
        degrees += values[2] / SECONDS_PER_DEGREE
    if part.negative and part.letter:
        raise CoordinateError(gettext_noop("Give a hemisphere letter or a sign, not both."))
    return -degrees if part.negative or part.letter in ("s", "w") else degrees
