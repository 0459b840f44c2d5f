"""Page masters: one tiled pyramidal TIFF per page, kept through Django's storage API.

A master is named by what it was made from (the original's SHA-256, the page number and
the rendering settings), so rendering the same file twice writes nothing new, and a name
always means the same pixels (IIIF responses may be cached for long).

    name, sha256 = store_master(image, source_sha256=..., number=3)
    with local_file(page.master) as path: ...   # a file libvips can read tiles from
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyvips
from django.core.files import File
from django.core.files.storage import Storage, default_storage

from declassified.originals import master_cache

# Bump when the way masters are made changes (tile size, compression…): new names follow.
# v2: PDF pages are exactly round(points × dpi / 72) pixels (PDFium's extra pixel cropped).
MASTER_FORMAT = "tif-jpeg85-tile256-v2"
TILE_SIZE = 256


def master_name(source_sha256: str, number: int, dpi: int) -> str:
    key = hashlib.sha256(f"{source_sha256}:{number}:{dpi}:{MASTER_FORMAT}".encode()).hexdigest()
    return f"pages/{key[:2]}/{key}.tif"


def store_master(image: pyvips.Image, *, source_sha256: str, number: int, dpi: int,
                 storage: Storage | None = None) -> tuple[str, str]:
    """Write the page as a pyramidal TIFF into storage (unless there already); returns its
    storage name and the SHA-256 of its bytes."""
    storage = storage or default_storage
    name = master_name(source_sha256, number, dpi)
    if storage.exists(name):
        with storage.open(name, "rb") as stored:
            return name, _sha256(stored)
    with tempfile.TemporaryDirectory(prefix="declassified-master-") as folder:
        path = Path(folder) / "master.tif"
        image.tiffsave(str(path), tile=True, pyramid=True, compression="jpeg", Q=85,
                       tile_width=TILE_SIZE, tile_height=TILE_SIZE)
        with open(path, "rb") as written:
            digest = _sha256(written)
            written.seek(0)
            saved = storage.save(name, File(written, name=path.name))
    return saved, digest


@contextmanager
def local_file(name: str, storage: Storage | None = None) -> Iterator[Path]:
    """A local path of a stored file (libvips and PDFium read paths): the stored file itself
    on a local disk; from a remote store (S3), a page master's copy kept on this node
    (master_cache: a master never changes, and a tile request must not fetch it whole each
    time), or a temporary copy of any other file."""
    storage = storage or default_storage
    try:
        local = Path(storage.path(name))
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    if name.startswith("pages/") and (kept := master_cache.local_copy(name, storage)):
        yield kept
        return
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as copy, \
            storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(1 << 20), b""):
            copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def _sha256(handle) -> str:
    return hashlib.file_digest(handle, "sha256").hexdigest()  # read in chunks, not whole


def file_sha256(path: Path) -> str:
    """The SHA-256 of a local file, read in chunks (originals may be hundreds of megabytes)."""
    with open(path, "rb") as handle:
        return _sha256(handle)
