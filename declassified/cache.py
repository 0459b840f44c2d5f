"""The cache backends of settings.CACHES: Django's file cache, counting its files less often;
and, when CACHE_URL names Redis, Django's Redis cache, which a Redis that is down slows by
at most a second a call but never turns into an error page.

Django's FileBasedCache lists the whole cache directory before every write to decide whether
to cull (`_cull`), so a write costs time in proportion to the entries already cached: 26 ms
at 4,000 rendered citations, three writes on a document's first view, and it grows towards
MAX_ENTRIES (200,000). Here each process looks only every CULL_EVERY writes; the cache can
overshoot MAX_ENTRIES by at most CULL_EVERY entries per process before it is culled.
"""

from __future__ import annotations

import itertools
import logging
import threading
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CULL_EVERY = 500


class SparselyCulledFileCache(FileBasedCache):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._writes = itertools.count(1)
        self._lock = threading.Lock()

    def _cull(self) -> None:
        with self._lock:
            write = next(self._writes)
        if write % CULL_EVERY == 0:
            super()._cull()  # type: ignore[misc]  # private in django-stubs, public in Django


class ForgivingRedisCache(RedisCache):
    """Django's Redis cache, where an unreachable or failing Redis is a miss, not an error.

    Everything cached here can be made again (citations, public answers; sessions are written
    through to the database), so a Redis that is down or restarting costs renders, never a
    server error (measured before: a document page answered 500). The connection timeouts
    (settings: env.caches) keep each failing call short. Reads answer "not cached", writes
    are dropped, each with a warning in the log.
    """

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as error:
            return _missed("get", error, default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            return _missed("get_many", error, {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except RedisError as error:
            return _missed("has_key", error, False)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            _missed("set", error, None)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            return _missed("add", error, False)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT,
                 version: int | None = None) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            return _missed("set_many", error, list(data))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT,
              version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            return _missed("touch", error, False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except RedisError as error:
            return _missed("delete", error, False)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            _missed("delete_many", error, None)


def _missed(operation: str, error: RedisError, answer: Any) -> Any:
    logger.warning("Redis cache %s failed (%s); answered without the cache", operation, error)
    return answer
