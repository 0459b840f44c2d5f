"""Derived images (tiles, thumbnails) kept on disk, within settings.IIIF_CACHE_MB.

    data = cached_image(key)            # bytes, or None
    store_image(key, data)
    key = cache_key(master_sha256, request.canonical())

A key names the master's content and the normalised request, so an entry never goes stale:
a page's pixels never change, and a new master has a new SHA-256. Files are written to a
temporary name and renamed, so a reader never sees half a file (several server processes
share the directory). Keeping the bound costs one listing of the directory now and then —
at a process's first write (what processes before it wrote counts too), then each time it
has written a twentieth of the bound — never one per request; it then removes the oldest
files until the cache is at 90 % of its bound.

The cache knows nothing of who may see what: the view checks access before it asks.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings

from declassified.originals.bounded_folder import evict_oldest_in

# Bytes this process has written since it last listed the cache; None: never listed yet.
_written_since_check: int | None = None
_lock = threading.Lock()


def cache_key(master_sha256: str, canonical_request: str) -> str:
    return hashlib.sha256(f"{master_sha256}\n{canonical_request}".encode()).hexdigest()


def _bound() -> int:
    return int(settings.IIIF_CACHE_MB) * 1024 * 1024


def _path(key: str) -> Path:
    return Path(settings.IIIF_CACHE_DIR) / key[:2] / key


def cached_image(key: str) -> bytes | None:
    if _bound() <= 0:
        return None
    try:
        return _path(key).read_bytes()
    except OSError:  # not cached (or evicted by another process meanwhile)
        return None


def store_image(key: str, data: bytes) -> None:
    """Keep the picture (unless the cache is off or the picture would take a tenth of it)."""
    global _written_since_check
    bound = _bound()
    if bound <= 0 or len(data) > bound // 10:
        return
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return  # a full disk costs the cache, not the reader's answer
    with _lock:
        written = (_written_since_check or 0) + len(data)
        due = _written_since_check is None or written >= bound // 20
        _written_since_check = 0 if due else written
    if due:
        evict_oldest()


def evict_oldest() -> int:
    """Remove the oldest entries until the cache is within 90 % of its bound; how many went."""
    return evict_oldest_in(Path(settings.IIIF_CACHE_DIR), _bound())


def cache_size() -> int:
    """Bytes held now (reads the whole directory: for tests and the operator, not requests)."""
    root = Path(settings.IIIF_CACHE_DIR)
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) if root.is_dir() else 0
