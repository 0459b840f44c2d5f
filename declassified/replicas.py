"""Anonymous reads from PostgreSQL streaming replicas (DATABASE_REPLICA_URLS; issue 18.1).

Only a request that can have written nothing it expects to see goes to a replica: a GET or
HEAD with no session cookie, no Authorization header and no recent-write cookie (set on the
answer to every other method, for READ_YOUR_WRITES_SECONDS). Everything else — editors,
API scripts, a reader who just logged out, the indexer and every command, reads inside a
transaction, reads after a write in the same request — uses the primary.

A replica is used only while it answers and lags at most REPLICA_MAX_LAG_SECONDS: each
process checks it at most once a second (once every five while it is down, each try giving
up after a one-second connect timeout), and otherwise reads from the primary, so a replica
that stops or falls behind costs readers nothing but its share of the load. A query that
fails on a replica mid-request (an error answer to a request that read from one) is answered
again from the primary, and the replica is checked afresh.
"""

from __future__ import annotations

import logging
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger("declassified.replicas")
RECENT_WRITE_COOKIE = "declassified_wrote"
CHECK_EVERY_SECONDS = 1.0
RETRY_DOWN_AFTER_SECONDS = 5.0
SAFE_METHODS = ("GET", "HEAD")

# True while this request may read from a replica; the alias it was given, if any.
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)
_replica_used: ContextVar[str | None] = ContextVar("replica_used", default=None)
_health: dict[str, tuple[float, bool]] = {}  # alias → (checked at, usable), per process
_health_lock = threading.Lock()
_next = 0

# How far behind the primary a replica is, in seconds: 0 when it has replayed all it has
# received (an idle primary sends nothing, and the last replayed transaction may be old).
LAG_SQL = """
SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
       END
"""


class ReplicaRouter:
    """Reads to a usable replica when the request allows it; everything else to the primary."""

    def db_for_read(self, model, **hints) -> str:
        if not _replica_reads.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        alias = usable_replica()
        _replica_used.set(alias if alias != DEFAULT_DB_ALIAS else None)
        return alias

    def db_for_write(self, model, **hints) -> str:
        _replica_reads.set(False)  # this request now reads its own writes
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first, second, **hints) -> bool:
        return True  # the same data, wherever it was read

    def allow_migrate(self, db, app_label, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS  # replicas follow the primary's schema


def usable_replica() -> str:
    """A replica that answers and is not too far behind (taken in turn), else the primary."""
    global _next
    aliases = list(settings.DATABASE_REPLICAS)
    _next = (_next + 1) % len(aliases)
    for alias in aliases[_next:] + aliases[:_next]:
        if _usable(alias):
            return alias
    return DEFAULT_DB_ALIAS


def _usable(alias: str) -> bool:
    now = time.monotonic()
    checked_at, usable = _health.get(alias, (float("-inf"), False))
    if now - checked_at < (CHECK_EVERY_SECONDS if usable else RETRY_DOWN_AFTER_SECONDS):
        return usable
    with _health_lock:  # one check at a time per process; the others use the last answer
        checked_at, usable = _health.get(alias, (float("-inf"), False))
        if now - checked_at >= (CHECK_EVERY_SECONDS if usable else RETRY_DOWN_AFTER_SECONDS):
            usable = _check(alias)
            _health[alias] = (time.monotonic(), usable)
    return usable


def _check(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            lag = float(cursor.fetchone()[0])
    except DatabaseError as error:
        logger.warning("database replica %s is not answering (%s); reading from the primary",
                       alias, str(error).strip().splitlines()[0] if str(error) else error)
        connections[alias].close()
        return False
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        logger.warning("database replica %s is %.1f s behind; reading from the primary", alias,
                       lag)
        return False
    return True


def _may_read_replica(request) -> bool:
    return (request.method in SAFE_METHODS
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and RECENT_WRITE_COOKIE not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META)


class ReplicaReadsMiddleware:
    """Decides, per request, whether its reads may come from a replica (see the module)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        allowed = _replica_reads.set(_may_read_replica(request))
        used = _replica_used.set(None)
        try:
            response = self.get_response(request)
            alias = _replica_used.get()
            if response.status_code >= 500 and alias is not None:
                # Perhaps the replica failed under this request (in a view or a middleware:
                # down, restarted, a connection gone stale): answer it again from the primary,
                # and take the replica out if it does not answer now. Only GET and HEAD read
                # replicas, so repeating is safe; a genuine error fails again, on the primary.
                logger.warning("an answer read from database replica %s failed; answering "
                               "it from the primary", alias)
                _answers(alias)
                _replica_reads.set(False)
                _replica_used.set(None)
                response = self.get_response(request)
        finally:
            _replica_reads.reset(allowed)
            _replica_used.reset(used)
        if request.method not in SAFE_METHODS:
            response.set_cookie(RECENT_WRITE_COOKIE, "1",
                                max_age=settings.READ_YOUR_WRITES_SECONDS, httponly=True,
                                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response


def _answers(alias: str) -> bool:
    """Check the replica afresh (on a new connection); mark it down if it fails."""
    connections[alias].close()
    usable = _check(alias)
    _health[alias] = (time.monotonic(), usable)
    return usable
