"""Page masters from a remote store (S3), kept on this node's disk within MASTER_CACHE_MB.

    path = local_copy("pages/ab/abcdef….tif", storage)   # None when the cache is off

A master's name says what it was made from (masters.master_name), so a copy never goes
stale. IIIF tiles are cut from the master with libvips, which reads a local file: without
this folder every tile of a page would fetch the whole master (about 1 MB) from the store.
Copies are written to a temporary name and renamed (several processes share the folder);
a copy used is touched, so the least recently used go first when the folder is pruned,
which is done after every 5 % of the bound written by this process.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage

from declassified.originals.bounded_folder import evict_oldest_in

_written = 0
_lock = threading.Lock()


def _bound() -> int:
    return int(settings.MASTER_CACHE_MB) * 1024 * 1024


def local_copy(name: str, storage: Storage) -> Path | None:
    """This node's copy of the stored master `name`, fetched on first use."""
    global _written
    bound = _bound()
    if bound <= 0:
        return None
    path = Path(settings.MASTER_CACHE_DIR) / name.removeprefix("pages/")
    try:
        os.utime(path)  # used now: pruned last
        return path
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out, storage.open(name, "rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 20), b""):
                out.write(chunk)
            size = out.tell()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    with _lock:
        _written += size
        due = _written >= bound // 20
        if due:
            _written = 0
    if due:
        evict_oldest_in(Path(settings.MASTER_CACHE_DIR), bound)
    return path
