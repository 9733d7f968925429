"""A cache that degrades instead of failing: Django's RedisCache, with every operation that
meets a Redis outage (connection refused, timeout) answering as a cache miss.

Chosen over django-redis' IGNORE_EXCEPTIONS (the same idea) to keep Django's own backend and
add no dependency for one wrapper: tiles are then rendered uncached, a point query answers
from the rasters, and the throttles decide for themselves (core.throttling asks `available()`
and fails open or closed by scope). Short socket timeouts (settings OPTIONS) keep an
unreachable Redis from holding a request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

import redis
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

OUTAGES = (redis.ConnectionError, redis.TimeoutError)
_last_failure = [0.0]
_failures = [0]
LOG_EVERY_S = 60.0


def failures() -> int:
    """How many cache operations of this process met an outage (to tell one happened)."""
    return _failures[0]


def _degrading(default: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(method: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(method)
        def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except OUTAGES as exc:
                now = time.monotonic()
                if now - _last_failure[0] > LOG_EVERY_S:
                    logger.warning("cache unavailable (%s); answering without it", exc)
                _last_failure[0] = now
                _failures[0] += 1
                return default(*args, **kwargs) if callable(default) else default

        return wrapped

    return decorator


def _raise_missing(*args: Any, **kwargs: Any) -> Any:
    raise ValueError("the cache is unavailable")


class DegradingRedisCacheClient(RedisCacheClient):
    get = _degrading(lambda key, default=None, **kw: default)(RedisCacheClient.get)
    get_many = _degrading(lambda *a, **k: {})(RedisCacheClient.get_many)
    has_key = _degrading(False)(RedisCacheClient.has_key)
    add = _degrading(False)(RedisCacheClient.add)
    set = _degrading(None)(RedisCacheClient.set)
    set_many = _degrading(lambda *a, **k: [])(RedisCacheClient.set_many)
    touch = _degrading(False)(RedisCacheClient.touch)
    delete = _degrading(False)(RedisCacheClient.delete)
    delete_many = _degrading(None)(RedisCacheClient.delete_many)
    clear = _degrading(False)(RedisCacheClient.clear)
    incr = _degrading(_raise_missing)(RedisCacheClient.incr)


class DegradingRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient


def available(cache: Any = None) -> bool:
    """Whether the cache's Redis answers a ping now (a short timeout)."""
    cache = cache or default_cache
    try:
        return bool(cache._cache.get_client().ping())
    except OUTAGES:
        return False
    except AttributeError:  # not a Redis cache (a test's local memory): it cannot be down
        return True
