"""Where the Tantivy index lives, how readers find it and how writers take turns.

Layout of SEARCH_INDEX_DIR:

    current            symlink → generations/<name>; replaced atomically by a rebuild
    generations/<name> one complete Tantivy index each, with its common terms and the
                       browse-all counts of its last commit (searching/saved_counts.py); the
                       previous one is kept for readers that still have it open, older
                       ones are removed by the next rebuild
    writer.lock        flock'd by whoever writes (indexer thread, `declassified indexer`,
                       `declassified reindex`): one writer at a time across processes

Readers never take the lock; each search checks (one readlink, one stat) whether the live
generation changed or was committed to, and reloads only then.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings

from declassified.search.engine.common_terms import load_common_terms
from declassified.search.engine.schema import SCHEMA, SCHEMA_VERSION
from declassified.search.language.analysis import register
from declassified.search.language.pairs import NO_PAIRS, PairTerms

_thread_lock = threading.Lock()  # flock is per open file; this covers threads of one process
_readers: dict[str, LiveIndex] = {}
_readers_lock = threading.Lock()


class IndexBusy(RuntimeError):
    """Another writer holds the index lock."""


def base_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def current_link() -> Path:
    return base_dir() / "current"


def live_generation() -> Path | None:
    """The directory of the live index, or None before the first build."""
    base = base_dir()
    try:
        target = os.readlink(base / "current")
    except FileNotFoundError:
        return None
    return base / target  # relative, "generations/<name>": no resolve() on the hot path


def new_generation_dir() -> Path:
    name = f"v{SCHEMA_VERSION}-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    path = base_dir() / "generations" / name
    path.mkdir(parents=True)
    return path


def is_current_schema(path: Path) -> bool:
    """Whether the generation at `path` was built with this code's schema.

    After an upgrade that changes the schema, the old generation cannot be opened; readers
    answer from an empty index and the indexer rebuilds from the database (apply_pending).
    """
    return path.name.startswith(f"v{SCHEMA_VERSION}-")


def open_index(path: Path) -> tantivy.Index:
    """The index at `path` (created if empty), with our analysers registered."""
    return register(tantivy.Index(SCHEMA, str(path), reuse=True))


def swap_live(path: Path) -> None:
    """Point `current` at `path` atomically (rename over the old link), then tidy up."""
    previous = live_generation()
    temporary = base_dir() / f".current-{uuid.uuid4().hex}"
    os.symlink(os.path.relpath(path, base_dir()), temporary)
    os.replace(temporary, current_link())
    keep = {path.resolve(), previous.resolve() if previous else None}
    for old in (base_dir() / "generations").iterdir():
        if old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)


def ensure_live_index(wait: bool = True) -> Path:
    """The live generation, creating an empty one first if there is none (under the lock;
    IndexBusy when `wait` is false and a writer, e.g. a first full build, holds it)."""
    path = live_generation()
    if path is not None and path.exists():
        return path
    with writer_lock(wait=wait):
        path = live_generation()
        if path is None or not path.exists():
            path = new_generation_dir()
            writer = open_index(path).writer(heap_size=15_000_000, num_threads=1)
            writer.commit()
            writer.wait_merging_threads()
            swap_live(path)
    return path


@contextlib.contextmanager
def writer_lock(wait: bool = True) -> Iterator[None]:
    """Hold the one-writer lock; raises IndexBusy when `wait` is false and it is taken."""
    base_dir().mkdir(parents=True, exist_ok=True)
    if not _thread_lock.acquire(blocking=wait):
        raise IndexBusy("another thread of this process is writing the index")
    try:
        with open(base_dir() / "writer.lock", "a+") as handle:
            flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
            try:
                fcntl.flock(handle, flags)
            except BlockingIOError:
                raise IndexBusy("another process is writing the index") from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        _thread_lock.release()


@dataclass
class LiveIndex:
    """A reader on one generation, reloaded when its meta.json changes."""

    path: Path
    index: tantivy.Index
    stamp: tuple[int, int, int]
    common: PairTerms = NO_PAIRS  # the generation's pair terms (language/pairs.py)

    @property
    def generation(self) -> tuple[str, tuple[int, int, int]]:
        """Changes whenever the visible index content may have changed (a cache key)."""
        return (self.path.name, self.stamp)


def _meta_stamp(path: Path) -> tuple[int, int, int]:
    # Tantivy replaces meta.json by rename on every commit, so the inode changes even when
    # two commits fall within the file system's timestamp granularity.
    try:
        stat = (path / "meta.json").stat()
    except FileNotFoundError:
        return (0, 0, 0)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _empty_while_building() -> LiveIndex:
    return LiveIndex(Path("building"), register(tantivy.Index(SCHEMA)), (0, 0, 0))


def live_index() -> LiveIndex:
    """The current reader, following swaps and commits; creates an empty index if none."""
    path = live_generation()
    if path is not None and path.exists() and not is_current_schema(path):
        return _empty_while_building()  # built by an older version: the indexer rebuilds it
    if path is None or not path.exists():
        try:
            path = ensure_live_index(wait=False)
        except IndexBusy:  # the first index is being built: answer from an empty one
            return _empty_while_building()
    key = str(path)
    stamp = _meta_stamp(path)
    with _readers_lock:
        reader = _readers.get(key)
        if reader is None:
            _readers.clear()  # a swap happened (or first use): drop readers of old generations
            index = open_index(path)
            index.config_reader(reload_policy="manual")
            reader = _readers[key] = LiveIndex(path, index, stamp, load_common_terms(path))
        elif reader.stamp != stamp:
            reader.index.reload()
            # Chosen anew only while the index is empty: read again with what is committed.
            reader.common = load_common_terms(path)
            reader.stamp = stamp
    return reader


def copy_live_generation(destination: Path) -> str | None:
    """Copy the live generation to destination/<its name> under the writer lock, so no commit
    lands half-way through the copy (searches go on). Its name, or None before the first build."""
    with writer_lock(wait=True):
        path = live_generation()
        if path is None or not path.exists():
            return None
        shutil.copytree(path, destination / path.name)
        return path.name


def install_generation(source: Path) -> None:
    """Make a copied generation (copy_live_generation's) the live index: copied in beside the
    others under the writer lock, then swapped in atomically as a rebuild does."""
    with writer_lock(wait=True):
        target = base_dir() / "generations" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)
        swap_live(target)
