"""The indexer loop: in a daemon thread of each web server process (started on its first
request, see declassified.indexer), or in the foreground as `declassified indexer`."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection

from declassified.search.engine.storage import live_generation
from declassified.search.indexing import change_log
from declassified.search.indexing.outbox import apply_pending, follow_log

logger = logging.getLogger("declassified.search")
POLL_SECONDS = 0.5
HEARTBEAT_SECONDS = 60  # an idle node still reports it is alive (change_log.live_nodes)

_thread: threading.Thread | None = None
_thread_stop = threading.Event()
_thread_start_lock = threading.Lock()


def run_indexer(stop: threading.Event | None = None, *, wait: bool = True,
                interval: float = POLL_SECONDS, on_apply: Callable[[int], None] | None = None):
    """Poll the change log and apply it until `stop` is set. With `wait` false (the web
    server's thread) a process that finds another writer busy just tries again next time."""
    stop = stop or threading.Event()
    failures, reported = 0, 0.0
    while not stop.is_set():
        try:
            path = live_generation()
            sequence = change_log.applied_sequence(path)
            # Work: no index yet, entries to apply, or entries it needed were pruned (a node
            # away too long, or one the others did not know yet): a rebuild, then.
            if (path is None or change_log.waiting_entries(sequence).exists()
                    or change_log.fell_behind(sequence)):
                applied = apply_pending(wait=wait)
                if applied:
                    reported = time.monotonic()  # the commit reported this node
                    if on_apply:
                        on_apply(applied)
            elif time.monotonic() - reported > HEARTBEAT_SECONDS:
                follow_log(sequence)
                reported = time.monotonic()
            failures = 0
        except Exception:
            failures += 1
            logger.exception("search indexer failed; retrying")
            connection.close()  # a broken connection is replaced on the next query
        stop.wait(interval * min(2**failures, 60))


def start_background_indexer() -> bool:
    """Start the in-process indexer thread once (if SEARCH_INDEXER_THREAD); True if started."""
    global _thread
    if not settings.SEARCH_INDEXER_THREAD:
        return False
    with _thread_start_lock:
        if _thread is not None and _thread.is_alive():
            return False
        _thread_stop.clear()
        _thread = threading.Thread(
            target=run_indexer, args=(_thread_stop,), kwargs={"wait": False},
            name="search-indexer", daemon=True,
        )
        _thread.start()
    return True


def stop_background_indexer(timeout: float = 10.0) -> None:
    """Stop the indexer thread (tests; a daemon thread otherwise ends with its process)."""
    global _thread
    with _thread_start_lock:
        _thread_stop.set()
        if _thread is not None:
            _thread.join(timeout)
        _thread = None
