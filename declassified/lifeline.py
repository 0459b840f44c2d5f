"""Child processes that die with their parent (no Django here: spawned children import it).

A process pool's worker waits on a pipe its parent holds; when the parent is killed (kill -9,
the OOM killer) the pipe stays open in the worker itself, so the worker would wait forever,
an orphan holding memory. `die_with_parent` runs first in each worker (the pool's
initializer): on Linux the kernel sends it SIGKILL when the parent goes (PR_SET_PDEATHSIG);
everywhere, a daemon thread also watches the parent's process ID and ends the worker once it
changes (the orphan was adopted by init or a subreaper).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
WATCH_SECONDS = 0.5


def die_with_parent(parent_pid: int) -> None:
    """Make this process end when `parent_pid`, its parent, does. Call it in the child."""
    if sys.platform.startswith("linux"):
        _ask_the_kernel()
    if os.getppid() != parent_pid:  # the parent died before the kernel was told
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), name="lifeline", daemon=True).start()


def _ask_the_kernel() -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watcher thread still covers it


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
