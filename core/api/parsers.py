"""The API's JSON parser: a body within API_JSON_MAX_BYTES, at most 64 levels deep, finite
numbers only. Every JSON operation reads through it (settings.REST_FRAMEWORK)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

from core.lib import jsonbounds


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.API_JSON_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise TooLarge(
                _("The JSON body is larger than %(limit)s kB.") % {"limit": limit // 1000}
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(_("The body is not text in %(enc)s.") % {"enc": encoding}) from exc
        if "\x00" in text:
            raise ParseError(_("The body contains a NUL character."))
        try:
            return jsonbounds.loads(text)
        except jsonbounds.JSONRefused as exc:
            if exc.reason == "deep":
                message = _("The JSON is nested too deep: at most %(depth)s levels.") % {
                    "depth": jsonbounds.MAX_DEPTH
                }
            elif exc.reason == "finite":
                message = _("Numbers must be finite (no NaN, Infinity or 1e400).")
            else:
                message = _("The body is not valid JSON: %(reason)s") % {"reason": exc}
            raise ParseError(message) from exc
