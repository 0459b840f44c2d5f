"""The database's write lock as the rest of the project sees it.

SQLite lets one connection write at a time. A write waits for its turn up to
settings.DATABASE_LOCK_TIMEOUT seconds (the connection's busy timeout, set in env.database)
and then fails with "database is locked"; the web and API answer that with a 503 and a
`Retry-After` (web.views.errors, api.middleware) instead of a 500. Readers never wait in WAL
mode, so nothing on a read path may write unless it can give up at once (`without_waiting`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction

log = logging.getLogger(__name__)
T = TypeVar("T")

# SQLite's messages when the busy timeout ran out (the second from a shared-cache database);
# PostgreSQL's when a lock_timeout ran out.
_LOCK_MESSAGES = ("database is locked", "database table is locked", "lock timeout")


def is_lock_timeout(error: BaseException | None) -> bool:
    """Did this exception come from waiting too long for another writer?"""
    return isinstance(error, OperationalError) and any(
        message in str(error) for message in _LOCK_MESSAGES)


def retry_after_seconds() -> int:
    """What a refused writer is told to wait (Retry-After): one lock timeout."""
    return settings.DATABASE_LOCK_TIMEOUT


# An importer runs in the background (a command, the worker), where nobody waits on a page:
# it waits this long for its turn rather than fail a volume behind another import.
IMPORTER_LOCK_WAIT_SECONDS = 300


@contextmanager
def without_waiting() -> Iterator[None]:
    """Run the writes inside without waiting for the write lock: on SQLite, when another
    connection writes they fail at once with "database is locked" (is_lock_timeout) instead of
    waiting for the busy timeout. Inside a transaction they run in a savepoint, so a failure
    leaves the outer transaction usable. For optional writes on read paths."""
    with waiting_up_to(0):
        if connection.in_atomic_block:
            with transaction.atomic():
                yield
        else:
            yield


@contextmanager
def waiting_up_to(seconds: float) -> Iterator[None]:
    """Writes inside wait up to `seconds` for SQLite's write lock (this connection only),
    instead of DATABASE_LOCK_TIMEOUT; nothing changes on PostgreSQL."""
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        _set_busy_timeout(seconds)
    try:
        yield
    finally:
        if sqlite and not connection.needs_rollback:  # a broken transaction takes no query
            _set_busy_timeout(settings.DATABASE_LOCK_TIMEOUT)


def _set_busy_timeout(seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")


def retry_while_locked(call: Callable[[], T], *, attempts: int = 20,
                       pause_seconds: float = 0.25) -> T:
    """`call()`, tried again while SQLite reports a lock taken by another connection. For a
    background job's own short writes (claiming, progress, one page's reading), which must
    not fail the job for that: SQLite's shared-cache database (the tests') reports a table
    lock at once, where a file database waits for its busy timeout instead."""
    for attempt in range(attempts):
        try:
            return call()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            log.info("database locked, trying again")
            time.sleep(pause_seconds)
    raise AssertionError("unreachable")
