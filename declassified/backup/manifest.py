"""manifest.json of a backup: what it holds, made by what, and the SHA-256 of every file.

Restore reads nothing that the manifest does not list with a matching checksum, and no
listed path may leave the backup folder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

MANIFEST = "manifest.json"
FORMAT = "declassified-backup"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024


class BadBackup(Exception):
    """The folder is not a complete, intact backup; the message says what is wrong."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def files_under(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            yield path


def file_entries(folder: Path) -> dict[str, dict]:
    """{relative posix path: {"sha256", "bytes"}} for every file in `folder`."""
    return {
        path.relative_to(folder).as_posix(): {"sha256": sha256_of(path), "bytes": path.stat().st_size}
        for path in files_under(folder)
    }


def write_manifest(folder: Path, description: dict) -> dict:
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, **description,
                "files": file_entries(folder)}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def read_manifest(folder: Path) -> dict:
    """The manifest, after checking every listed file's size and SHA-256 (BadBackup if not)."""
    if not folder.is_dir():
        raise BadBackup(f"{folder} is not a folder.")
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BadBackup(f"{folder} has no {MANIFEST}: it is not a `declassified backup` folder.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BadBackup(f"{folder / MANIFEST} is not valid JSON: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BadBackup(f"{folder / MANIFEST} is not a declassified backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BadBackup(f"Backup format version {manifest.get('format_version')!r} is not "
                        f"{FORMAT_VERSION}; restore it with the version of Declassified that made it.")
    problems = [problem for name, entry in manifest.get("files", {}).items()
                if (problem := _check_file(folder, name, entry))]
    if problems:
        shown = "; ".join(problems[:10]) + (" …" if len(problems) > 10 else "")
        raise BadBackup(f"The backup is damaged ({len(problems)} file(s)): {shown}. Nothing was restored.")
    return manifest


def _check_file(folder: Path, name: str, entry: dict) -> str | None:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts:
        return f"{name}: a path outside the backup"
    path = folder / relative
    if not path.is_file():
        return f"{name} is missing"
    if path.stat().st_size != entry.get("bytes") or sha256_of(path) != entry.get("sha256"):
        return f"{name} does not match its SHA-256"
    return None
