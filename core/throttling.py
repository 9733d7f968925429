"""Rate limits of the expensive endpoints: per signed-in user and per client address.

DRF's SimpleRateThrottle does the counting (a sliding window in the Redis cache); the rates
come from settings.RATE_LIMITS, read at each request so a test can lower one. The API uses the
classes through `@throttle_classes(throttles("point"))`, which answers 429 with
`{"detail": ...}` and Retry-After; pages use `@rate_limited("estimate")`, which answers the
same 429 as a short translated page (or JSON when the caller asks for JSON).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from core import cache as core_cache

logger = logging.getLogger(__name__)

SCOPES = ("point", "estimate", "upload")


# With the cache down nothing can be counted. The cheap map click ("point") stays open to
# everyone, so the map still answers; the expensive scopes (estimate, upload) stay open to
# signed-in users, whose account answers for them, and close to anonymous callers, the source
# of a storm, until the cache is back.
FAIL_OPEN_FOR_ANONYMOUS = ("point_user", "point_address")


class _SettingsRateThrottle(SimpleRateThrottle):
    """A throttle whose rate is settings.RATE_LIMITS[scope], looked up when it is made."""

    def get_rate(self) -> str | None:
        return settings.RATE_LIMITS.get(self.scope)

    def allow_request(self, request: Any, view: Any) -> bool:
        before = core_cache.failures()
        allowed = super().allow_request(request, view)
        if core_cache.failures() == before:
            return allowed
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or self.scope in FAIL_OPEN_FOR_ANONYMOUS:
            return True
        logger.warning("rate limit %s: cache down, anonymous request refused", self.scope)
        return False


class UserRateThrottle(_SettingsRateThrottle):
    """Counts a signed-in user's requests wherever they come from; anonymous callers pass."""

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"user-{user.pk}"}


class AddressRateThrottle(_SettingsRateThrottle):
    """Counts every request from one client address (REMOTE_ADDR, or behind NUM_PROXIES)."""

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": f"addr-{self.get_ident(request)}"}


def _classes(scope: str) -> list[type[BaseThrottle]]:
    return [
        type(f"{scope.title()}UserThrottle", (UserRateThrottle,), {"scope": f"{scope}_user"}),
        type(
            f"{scope.title()}AddressThrottle", (AddressRateThrottle,), {"scope": f"{scope}_address"}
        ),
    ]


_THROTTLES = {scope: _classes(scope) for scope in SCOPES}


def throttles(scope: str) -> list[type[BaseThrottle]]:
    """The user and address throttles of `scope` (point, estimate, upload)."""
    if scope not in _THROTTLES:
        raise ValueError(f"unknown rate-limit scope {scope!r}")
    return list(_THROTTLES[scope])


def _wait_s(request: HttpRequest, scope: str) -> float | None:
    """None if `request` is within `scope`'s limits (and count it), else seconds to wait."""
    waits = []
    for throttle_class in throttles(scope):
        throttle = throttle_class()
        if not throttle.allow_request(request, None):
            waits.append(throttle.wait() or 1.0)
    return max(waits) if waits else None


def too_many_requests(request: HttpRequest, wait_s: float) -> HttpResponse:
    """The 429 answer of a page: a short page in the visitor's language, or JSON."""
    seconds = max(1, math.ceil(wait_s))
    detail = _("Too many requests. Please wait %(seconds)s seconds and try again.") % {
        "seconds": seconds
    }
    if request.headers.get("accept", "").startswith("application/json"):
        response: HttpResponse = JsonResponse({"detail": detail}, status=429)
    else:
        response = render(request, "core/429.html", {"detail": detail}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(
    scope: str, methods: Sequence[str] = ("POST",)
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Limit a page's `methods` requests by the user and address rates of `scope`."""
    throttles(scope)  # an unknown scope fails at import, not at the first request

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                wait_s = _wait_s(request, scope)
                if wait_s is not None:
                    logger.warning(
                        "rate limit %s: refused %s %s (user %s)",
                        scope,
                        request.method,
                        request.path,
                        getattr(request.user, "pk", None),
                    )
                    return too_many_requests(request, wait_s)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
