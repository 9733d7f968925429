"""Rate limits of sign-in and of account mail, counted in the cache (Redis).

Each limit is a DRF-style rate ("<count>/<s|min|hour|day>") in settings.ACCOUNT_RATE_LIMITS,
counted per fixed window with the cache's atomic increment, so parallel guesses cannot slip
past a check-then-count gap. Keys hash the identity (an account name or an address), so no
user input becomes part of a cache key.

Fail closed: when the cache cannot count (Redis down), `take()` raises `LimiterUnavailable`
and the caller refuses the attempt (503). An outage then stops sign-in for its length rather
than letting passwords be guessed without limit; people already signed in keep their sessions
(they live in the database).
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

# Scopes of settings.ACCOUNT_RATE_LIMITS and what each counts.
SIGN_IN_ACCOUNT = "sign_in_account"  # failed sign-ins naming one account, from anywhere
SIGN_IN_ADDRESS = "sign_in_address"  # failed sign-ins from one client address, any account
MAIL_ACCOUNT = "mail_account"  # reset / sign-up mails asked for one e-mail address
MAIL_ADDRESS = "mail_address"  # reset / sign-up mails asked from one client address
SCOPES = (SIGN_IN_ACCOUNT, SIGN_IN_ADDRESS, MAIL_ACCOUNT, MAIL_ADDRESS)


class LimiterUnavailable(Exception):
    """The cache could not count: the caller must refuse, not let the attempt through."""


def rate(scope: str) -> tuple[int, int]:
    """(count, period in seconds) of `scope`, read at each call so a test can lower it."""
    count, period_s = SimpleRateThrottle.parse_rate(None, settings.ACCOUNT_RATE_LIMITS[scope])  # type: ignore[arg-type]
    return int(count), int(period_s)


def _key(scope: str, ident: str, window: int) -> str:
    digest = hashlib.sha256(ident.strip().lower().encode()).hexdigest()[:32]
    return f"account-limit:{scope}:{window}:{digest}"


def _window(period_s: int) -> tuple[int, int]:
    """The current window's index and the seconds left in it."""
    now = time.time()
    return int(now // period_s), max(1, int(period_s - now % period_s))


def take(scope: str, ident: str) -> int | None:
    """Count one attempt of `ident` in `scope`: None if within the limit, else the seconds to
    wait. Raises LimiterUnavailable when the cache cannot count."""
    limit, period_s = rate(scope)
    window, left_s = _window(period_s)
    key = _key(scope, ident, window)
    try:
        if cache.add(key, 1, timeout=period_s + 1):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr: a new window
                cache.set(key, 1, timeout=period_s + 1)
                count = 1
    except (RedisError, OSError) as exc:
        logger.error("account rate limit %s cannot count (cache unavailable): %s", scope, exc)
        raise LimiterUnavailable(scope) from exc
    return None if count <= limit else left_s


def give_back(scope: str, ident: str) -> None:
    """Uncount one attempt (a sign-in that succeeded counts as no failure)."""
    _, period_s = rate(scope)
    window, _ = _window(period_s)
    try:
        cache.decr(_key(scope, ident, window))
    except ValueError:
        pass  # the window turned meanwhile: nothing to give back
    except (RedisError, OSError) as exc:
        logger.warning("account rate limit %s: could not give back an attempt: %s", scope, exc)


def take_all(pairs: list[tuple[str, str]]) -> int | None:
    """Count one attempt in each (scope, ident); None if all are within their limits, else the
    longest wait. Every pair is counted, so a refused address still counts the account."""
    waits = [wait for scope, ident in pairs if (wait := take(scope, ident)) is not None]
    return max(waits) if waits else None
