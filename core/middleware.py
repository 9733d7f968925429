"""Response compression for text only; a cap on the size of request bodies."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.translation import gettext as _

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


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body is over REQUEST_MAX_BYTES, before reading it.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files, which it
    streams to disk; this caps those too, as nginx's client_max_body_size does in production.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            limit_mb = settings.REQUEST_MAX_BYTES // (1024 * 1024)
            detail = _("The request is too large: at most %(limit)s MB.") % {"limit": limit_mb}
            if request.path.startswith("/api/") or request.headers.get("accept", "").startswith(
                "application/json"
            ):
                return JsonResponse({"detail": detail}, status=413)
            return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class ControlCharacterMiddleware:
    """Answer 400 to a request with a NUL character in its path, query or form fields.

    PostgreSQL's text cannot hold NUL, so such a value reaching a query is a server error;
    no value of ours has one. Uploaded files are not looked at (their readers refuse binary).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        field = self._field_with_nul(request)
        if field is not None:
            detail = _("%(field)s contains a control character (NUL), which no field accepts.") % {
                "field": field
            }
            if request.path.startswith("/api/") or request.headers.get("accept", "").startswith(
                "application/json"
            ):
                return JsonResponse({"error": detail, "detail": detail, "field": field}, status=400)
            return HttpResponse(detail, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _field_with_nul(request: HttpRequest) -> str | None:
        """The name of the first query or form field holding a NUL ("path" for the URL)."""
        if "\x00" in request.path_info:
            return "path"
        for key, value in request.GET.items():
            if "\x00" in key or "\x00" in value:
                return key.replace("\x00", "") or "query"
        if "%00" in request.META.get("QUERY_STRING", ""):
            return "query"
        content_type = request.headers.get("content-type", "")
        if request.method == "POST" and content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            try:
                fields = request.POST.lists()
            except Exception:  # a malformed body: the view's own parsing answers it
                return None
            for key, values in fields:
                if "\x00" in key or any("\x00" in value for value in values):
                    return key.replace("\x00", "") or "form"
        return None
