"""Response compression for text only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

ALREADY_COMPRESSED = ("image/", "application/octet-stream", "application/zip")


class TextGZipMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH padding) for HTML, CSS, JS and JSON; PNG tiles and COG
    downloads are compressed already, and gzipping them again costs time for nothing."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith(ALREADY_COMPRESSED):
            return response
        return super().process_response(request, response)
