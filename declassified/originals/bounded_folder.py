"""A folder of cached files kept within a size: the derived IIIF images (iiif_image_cache) and
the copies of page masters from a remote store (master_cache). Files live one level down
(`root/ab/abcdef…`); the oldest by modification time go first, so a reader that touches a
file on use (master_cache) keeps it."""

from __future__ import annotations

import os
from pathlib import Path


def evict_oldest_in(root: Path, bound: int) -> int:
    """Remove the oldest files of `root`/*/ until they take at most 90 % of `bound` bytes
    (when they take more than `bound`); how many went. Another process removing a file
    meanwhile is no error."""
    entries: list[tuple[float, int, str]] = []
    total = 0
    if not root.is_dir():
        return 0
    for folder in os.scandir(root):
        if not folder.is_dir():
            continue
        for entry in os.scandir(folder.path):
            try:
                stat = entry.stat()
            except OSError:
                continue
            entries.append((stat.st_mtime, stat.st_size, entry.path))
            total += stat.st_size
    if total <= bound:
        return 0
    entries.sort()
    removed = 0
    for _mtime, size, path in entries:
        if total <= bound * 0.9:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        total -= size
        removed += 1
    return removed
