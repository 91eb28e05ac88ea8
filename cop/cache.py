"""A Redis cache that degrades instead of failing when Redis is away.

The cache holds nothing that is not also somewhere else: rate-limit counters,
cached facets, the worker heartbeat. When Redis stops, Django's `RedisCache`
raises on every call, and every page that touches the cache (sign-in's rate
limits, posting's rate limit, the directory's facets) fails with a 500. This
backend instead behaves as an empty cache that stores nothing: reads miss,
writes are dropped, `incr` says the key is missing. Rate limits therefore fail
open while Redis is down, which we prefer to refusing every sign-in and post.

A circuit breaker keeps an outage cheap: after one failure the backend skips
Redis for `COOLDOWN` seconds instead of waiting for a connect timeout on every
call, then tries again. `probe()` bypasses all of this for /healthz, which
reports the cache as down.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)
COOLDOWN = 5.0

_MISSING = object()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # Fail fast: a cache call must never hold a page for long.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._down_until = 0.0

    def _guard(self, name, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback()
        try:
            return getattr(super(), name)(*args, **kwargs)
        except FAILURES as exc:
            self._down_until = time.monotonic() + COOLDOWN
            logger.warning("cache: Redis unavailable (%s); working without it", exc)
            return fallback()

    @property
    def degraded(self):
        return time.monotonic() < self._down_until

    def probe(self):
        """Write and read back a key through Redis, raising on any failure."""
        key = "healthz:probe"
        super().set(key, "1", 10)
        if super().get(key) != "1":
            raise RuntimeError("value written was not read back")
        self._down_until = 0.0

    def get(self, key, default=None, version=None):
        return self._guard("get", lambda: default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", lambda: False, key, version)

    def add(self, key, value, timeout=_MISSING, version=None):
        args = (key, value) if timeout is _MISSING else (key, value, timeout)
        return self._guard("add", lambda: False, *args, version=version)

    def set(self, key, value, timeout=_MISSING, version=None):
        args = (key, value) if timeout is _MISSING else (key, value, timeout)
        return self._guard("set", lambda: None, *args, version=version)

    def set_many(self, data, timeout=_MISSING, version=None):
        args = (data,) if timeout is _MISSING else (data, timeout)
        return self._guard("set_many", lambda: list(data), *args, version=version)

    def touch(self, key, timeout=_MISSING, version=None):
        args = (key,) if timeout is _MISSING else (key, timeout)
        return self._guard("touch", lambda: False, *args, version=version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (cache unavailable)")

        return self._guard("incr", missing, key, delta, version)

    def delete(self, key, version=None):
        return self._guard("delete", lambda: False, key, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", lambda: None, keys, version)

    def clear(self):
        return self._guard("clear", lambda: False)
