"""Bulk data: gzip JSON Lines of every published document, whole archive and per collection.

Files live in DUMPS_DIR (default DATA_DIR/dumps) with a manifest.json describing them. Each file
is written to a temporary name and renamed into place, so a reader never sees half a file.

Freshness (docs/harvesting.md, "Bulk data"): the manifest records a fingerprint of the
content (count and latest updated_at of documents and of collections) and the moment
generation began. When the fingerprint moves on, the dumps are *stale*: the last good files are
still served while a refresh runs in the background. When a document that had been published
was withdrawn or returned to draft since then, the old files are *unsafe* and are not served
at all until regenerated, so a dump never hands out a retracted document.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import gzip
import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from declassified.archive import access
from declassified.archive.models import Collection, CollectionMembership, Document
from declassified.harvest.records import RECORD_SELECT, document_records

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
ARCHIVE_DUMP = "archive"
LOCK_FILE = ".generating"
BATCH = 500


class DumpsBusy(Exception):
    """Another process is generating the dumps right now."""


def dumps_dir() -> Path:
    return Path(settings.DUMPS_DIR)


def file_name(name: str) -> str:
    return f"{name}.jsonl.gz"


def collection_dump_name(collection_id: int) -> str:
    return f"collection-{collection_id}"


# --- Freshness ---------------------------------------------------------------------------


def content_fingerprint() -> str:
    """What the dumps were made from; changes with any document or collection write.

    Two queries. Actions move a document's updated_at whenever its tags, texts or
    collections change, so the latest updated_at and the count cover every edit.
    """
    documents = Document.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    collections = Collection.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    parts = [documents["n"], documents["last"], collections["n"], collections["last"]]
    return "|".join("" if part is None else str(part) for part in parts)


def read_manifest() -> dict | None:
    """The manifest of the last complete generation, or None when there is none (or it is
    unreadable, which is treated the same: regenerate)."""
    try:
        manifest = json.loads((dumps_dir() / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("dumps"), list):
        return None
    return manifest


def is_stale(manifest: dict | None) -> bool:
    return manifest is None or manifest.get("fingerprint") != content_fingerprint()


def is_unsafe(manifest: dict | None) -> bool:
    """True when a once-published document left the public since generation began (one query)."""
    if manifest is None:
        return True
    try:
        started = dt.datetime.fromisoformat(manifest["started_at"])
    except (KeyError, TypeError, ValueError):
        return True
    return Document.objects.exclude(status=Document.PUBLISHED).filter(
        published_at__isnull=False, updated_at__gte=started
    ).exists()


# --- Generation --------------------------------------------------------------------------


def records_in_batches(documents: QuerySet[Document], base_url: str) -> Iterator[dict]:
    """The record of every document of the queryset in id order, BATCH at a time (twelve
    queries per batch, bounded memory)."""
    last_pk = 0
    while True:
        batch = list(
            documents.filter(pk__gt=last_pk).order_by("pk").select_related(*RECORD_SELECT)[:BATCH]
        )
        if not batch:
            return
        yield from document_records(batch, base_url)
        last_pk = batch[-1].pk


def write_dump(directory: Path, name: str, documents: QuerySet[Document], base_url: str) -> dict:
    """Write one gzip JSON Lines file atomically; returns its manifest entry (without title)."""
    target = directory / file_name(name)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}-", suffix=".tmp")
    digest, count = hashlib.sha256(), 0
    try:
        with os.fdopen(handle, "wb") as raw:
            # mtime=0: the same content gives the same bytes, so checksums mean something.
            with gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as compressed:
                for record in records_in_batches(documents, base_url):
                    line = json.dumps(record, ensure_ascii=False)
                    compressed.write(line.encode("utf-8") + b"\n")
                    count += 1
            raw.flush()
            os.fsync(raw.fileno())
        with open(temporary, "rb") as written:
            for chunk in iter(lambda: written.read(1 << 20), b""):
                digest.update(chunk)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return {
        "name": name, "file": target.name, "documents": count,
        "bytes": target.stat().st_size, "sha256": digest.hexdigest(),
    }


def collections_with_public_documents() -> list[Collection]:
    published = access.public_documents().filter(
        pk=OuterRef("document_id")
    )
    memberships = CollectionMembership.objects.filter(collection=OuterRef("pk")).filter(
        Exists(published)
    )
    return list(Collection.objects.filter(Exists(memberships)).order_by("pk").only("pk", "title"))


def generate_dumps(base_url: str | None = None) -> dict:
    """Regenerate every dump and the manifest; returns the manifest. Raises DumpsBusy.

    The fingerprint is read before any document, so a write during generation leaves the
    result stale and the next check regenerates again.
    """
    directory = dumps_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with generation_lock(directory):
        started_at = timezone.now()
        fingerprint = content_fingerprint()
        base_url = settings.SITE_URL if base_url is None else base_url
        entries = [{"title": "Whole archive", "collection": None,
                    **write_dump(directory, ARCHIVE_DUMP, access.public_documents(), base_url)}]
        for collection in collections_with_public_documents():
            documents = access.public_documents().filter(collections=collection)
            entry = write_dump(directory, collection_dump_name(collection.pk), documents, base_url)
            entries.append({"title": collection.title, "collection": collection.pk, **entry})
        manifest = {
            "fingerprint": fingerprint, "started_at": started_at.isoformat(),
            "generated_at": timezone.now().isoformat(), "dumps": entries,
        }
        write_atomically(directory / MANIFEST, json.dumps(manifest, indent=1).encode("utf-8"))
        remove_unlisted_files(directory, {entry["file"] for entry in entries})
    return manifest


def write_atomically(target: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".manifest-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_unlisted_files(directory: Path, keep: set[str]) -> None:
    """Drop dumps of collections that no longer have public documents."""
    for path in directory.glob("*.jsonl.gz"):
        if path.name not in keep:
            path.unlink(missing_ok=True)


class generation_lock:
    """An exclusive lock on a file in the dumps directory, shared by every process and thread.

    An flock, not the file's existence or age: the kernel releases it when its holder exits
    in any way (kill -9 included), so a crashed generation never blocks the next one. The
    file stays (removing a locked file would let two holders lock two different files); it
    holds the holder's process ID, for messages only.
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_FILE
        self.handle: IO[str] | None = None

    def __enter__(self) -> generation_lock:
        handle = open(self.path, "a+", encoding="utf-8")  # held until __exit__
        if not _try_flock(handle, fcntl.LOCK_EX):
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise DumpsBusy("The dumps are being generated by another process"
                            + (f" (process {holder})." if holder.isdigit() else ".")) from None
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle
        remove_temporary_files(directory=self.path.parent)  # left by a crashed generation
        return self

    def __exit__(self, *exc_info) -> None:
        if self.handle is not None:
            self.handle.truncate(0)
            self.handle.close()  # closing releases the lock
            self.handle = None


def remove_temporary_files(directory: Path) -> None:
    """Half-written files of a generation that was killed (only ever called under the lock)."""
    for path in directory.glob(".*.tmp"):
        path.unlink(missing_ok=True)


def _try_flock(handle: IO[str], kind: int, attempts: int = 5) -> bool:
    """Take the lock without waiting for a holder; a few tries, because `is_held` in another
    process holds it for a moment to look."""
    for attempt in range(attempts):
        try:
            fcntl.flock(handle, kind | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if attempt < attempts - 1:
                time.sleep(0.02)
    return False


def is_held(lock_path: Path) -> bool:
    """True while a live process holds the generation lock (a crashed holder holds nothing).
    Looks by taking a shared lock for a moment."""
    try:
        with open(lock_path, encoding="utf-8") as handle:
            return not _try_flock(handle, fcntl.LOCK_SH, attempts=1)
    except FileNotFoundError:
        return False


def is_generating() -> bool:
    return is_held(dumps_dir() / LOCK_FILE)


# --- Refresh in a process of its own -----------------------------------------------------

GENERATION_LOG = "generation.log"


def start_generation_process() -> None:
    """Start `declassified dumps --if-stale` detached from this process, at low priority, and
    return at once; its output goes to DUMPS_DIR/generation.log.

    `declassified serve` calls this after binding, so a restart serves at once and the last
    good files (or a 503 "being regenerated" when there are none) are served meanwhile. The
    shell puts the command in the background and exits, so the command is adopted by init
    and never becomes a zombie of the server.
    """
    directory = dumps_dir()
    directory.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "declassified.cli", "dumps", "--if-stale"]
    subprocess.run(
        ["/bin/sh", "-c", 'log=$1; shift; nice -n 10 "$@" </dev/null >>"$log" 2>&1 &', "sh",
         str(directory / GENERATION_LOG), *command],
        stdin=subprocess.DEVNULL, check=True, timeout=30,
    )


# --- Refresh on request ------------------------------------------------------------------

_refresh_guard = threading.Lock()
_last_refresh: threading.Thread | None = None


def refresh_in_background(base_url: str) -> threading.Thread | None:
    """Start regenerating in a daemon thread unless one is running; returns the thread.

    Off when settings.DUMPS_REFRESH_ON_REQUEST is False (then only `declassified dumps`
    regenerates).
    """
    if not settings.DUMPS_REFRESH_ON_REQUEST or is_generating():
        return None
    if not _refresh_guard.acquire(blocking=False):
        return None

    def run() -> None:
        try:
            generate_dumps(base_url=settings.SITE_URL or base_url)
        except DumpsBusy:
            pass
        except Exception:
            logger.exception("Regenerating the bulk data dumps failed")
        finally:
            connection.close()  # this thread's own connection
            close_old_connections()
            _refresh_guard.release()

    global _last_refresh
    thread = threading.Thread(target=run, name="declassified-dumps", daemon=True)
    _last_refresh = thread
    thread.start()
    return thread


def wait_for_background_refresh(timeout: float | None = None) -> None:
    """Block until this process's latest background refresh (if any) has finished."""
    if _last_refresh is not None:
        _last_refresh.join(timeout)
