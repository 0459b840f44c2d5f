"""Backing up and restoring the whole site: database, uploaded files, secret key, the settings
that give records their identity, and optionally the search index (which can be rebuilt).

Layout of a backup folder (docs/backup.md):

    manifest.json        versions, database vendor, creation time, settings, SHA-256 of each file
    database.sqlite3     or database.pgdump (pg_dump --format=custom)
    media/…              attachments, page masters, collection images, import uploads: the
                         media folder, or the object store (DECLASSIFIED_STORAGE_URL)
    secret_key           the SECRET_KEY (sessions and password-reset links stay valid)
    search-index/<gen>/  only with --with-index: the live Tantivy generation
"""

from __future__ import annotations

import os
import platform
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import django
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from declassified import search
from declassified.backup import database
from declassified.backup.manifest import BadBackup, read_manifest, write_manifest
from declassified.object_storage import remote_store
from declassified.originals import shared_images

# Settings that shape what the archive publishes (OAI identifiers, URLs, licence): recorded so
# a restore can say when the new machine differs. Secrets other than the key are not kept.
RECORDED_SETTINGS = ["SITE_URL", "ALLOWED_HOSTS", "OAI_ADMIN_EMAIL", "OAI_REPOSITORY_IDENTIFIER",
                     "DATA_LICENCE"]
Say = Callable[[str], None]


@dataclass
class RestoreReport:
    index: str = ""
    notes: list[str] = field(default_factory=list)


def make_backup(destination: Path, *, with_index: bool, say: Say) -> dict:
    """Write a backup to `destination` (absent or an empty folder) and return its manifest.

    Built in a hidden sibling folder and renamed into place at the end, so a failed backup
    never leaves a folder that looks complete.
    """
    destination = destination.expanduser().resolve()
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BadBackup(f"{destination} already exists and is not an empty folder; choose a new one.")
    if not destination.parent.is_dir():
        raise BadBackup(f"The folder {destination.parent} does not exist.")
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{destination.name}.partial-", dir=destination.parent))
    except OSError as error:
        raise BadBackup(f"Cannot write in {destination.parent}: {error.strerror}.") from None
    try:
        os.chmod(work, 0o700)  # it holds the secret key and password hashes
        say(f"backing up the database ({database.vendor()}) …")
        database_file = database.back_up_database(work)
        say("backing up uploaded files …")
        media_files = _copy_files_out(work / "media")
        key_file = work / "secret_key"
        key_file.write_text(settings.SECRET_KEY)
        key_file.chmod(0o600)
        generation = None
        if with_index:
            say("backing up the search index …")
            (work / "search-index").mkdir()
            generation = search.copy_index(work / "search-index")
        manifest = write_manifest(work, _description(database_file, media_files, generation))
        if destination.exists():
            destination.rmdir()
        work.rename(destination)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _description(database_file: str, media_files: int, generation: str | None) -> dict:
    return {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "versions": {"declassified": metadata.version("declassified"), "django": django.get_version(),
                     "python": platform.python_version()},
        "database": {"vendor": database.vendor(), "server_version": database.server_version(),
                     "file": database_file, "migrations": _applied_migrations()},
        "media_files": media_files,
        "search_index": f"search-index/{generation}" if generation else None,
        "settings": {name: getattr(settings, name) for name in RECORDED_SETTINGS},
    }


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _copy_files_out(target: Path) -> int:
    """Every stored file into `target`: the media folder copied, or the object store's
    bucket (DECLASSIFIED_STORAGE_URL) read through the storage API."""
    if remote_store() is None:
        return _copy_tree(Path(settings.MEDIA_ROOT), target)
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for name in _stored_names(default_storage, ""):
        if name.startswith(f"{shared_images.PREFIX}/"):
            continue  # derived images, made again on demand
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as stored, open(destination, "wb") as out:
            shutil.copyfileobj(stored, out, 1 << 20)
        count += 1
    return count


def _copy_files_in(source: Path) -> None:
    """The backup's files back into storage, each under its own name (references to it in
    the database must find it): a file of that name already there is replaced."""
    if remote_store() is None:
        _copy_tree(source, Path(settings.MEDIA_ROOT))
        return
    for path in sorted(source.rglob("*")) if source.is_dir() else []:
        if not path.is_file():
            continue
        name = path.relative_to(source).as_posix()
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(path, "rb") as handle:
            saved = default_storage.save(name, File(handle, name=path.name))
        if saved != name:
            raise BadBackup(f"The store saved {name} as {saved}; the restore is incomplete.")


def _stored_names(storage, folder: str) -> Iterator[str]:
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}{name}"
    for name in folders:
        yield from _stored_names(storage, f"{folder}{name}/")


def _copy_tree(source: Path, target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_file():
                destination = target / path.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
                count += 1
    return count


def restore_backup(source: Path, *, force: bool, say: Say) -> RestoreReport:
    """Restore the backup in `source` onto this machine's database and data directory.

    Refuses (BadBackup) before changing anything when a file fails its checksum, the backup
    comes from a newer version or another database vendor, or the database already holds an
    archive and `force` is false.
    """
    source = source.expanduser().resolve()
    manifest = read_manifest(source)
    say(f"all {len(manifest['files']):,} files match their SHA-256")
    _check_compatible(manifest)
    if database.holds_an_archive() and not force:
        raise BadBackup("The database DATABASE_URL points to already holds an archive (documents, "
                        "collections, people or users). Restore onto an empty database, or add "
                        "--force to replace everything in it.")
    report = RestoreReport()
    say("restoring the database …")
    database.restore_database(source / manifest["database"]["file"], manifest["database"]["vendor"])
    call_command("migrate", verbosity=0, interactive=False)
    say("restoring uploaded files …")
    _copy_files_in(source / "media")
    report.notes += _restore_secret_key(source / "secret_key")
    report.notes += _setting_differences(manifest.get("settings", {}))
    say("restoring the search index …")
    report.index = _restore_index(source, manifest.get("search_index"))
    return report


def _check_compatible(manifest: dict) -> None:
    if manifest["database"]["vendor"] != database.vendor():
        raise BadBackup(f"This backup holds a {manifest['database']['vendor']} database, but "
                        f"DATABASE_URL points to {database.vendor()}; restore onto the same kind.")
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [f"{app}.{name}" for app, names in manifest["database"].get("migrations", {}).items()
               for name in names if (app, name) not in known]
    if unknown:
        raise BadBackup(f"The backup was made by a newer version of Declassified "
                        f"({manifest['versions'].get('declassified')}; unknown migrations: "
                        f"{', '.join(unknown[:5])}). Install that version, then restore.")


def _restore_secret_key(key_file: Path) -> list[str]:
    key = key_file.read_text().strip()
    if os.environ.get("SECRET_KEY"):
        if os.environ["SECRET_KEY"] != key:
            return ["SECRET_KEY is set in the environment and differs from the backup's: logged-in "
                    "sessions end. The backup's key is in its secret_key file."]
        return []
    target = Path(settings.DATA_DIR) / "secret_key"
    target.write_text(key)
    target.chmod(0o600)
    return []


def _setting_differences(recorded: dict) -> list[str]:
    return [f"{name} was {value!r} on the backed-up site and is {getattr(settings, name)!r} here; "
            "set it in the environment if the site should keep its identity."
            for name, value in recorded.items()
            if name in RECORDED_SETTINGS and _comparable(getattr(settings, name)) != _comparable(value)]


def _comparable(value):
    return list(value) if isinstance(value, list | tuple) else value


def _restore_index(source: Path, included: str | None) -> str:
    if included:
        search.install_index(source / included)
        if search.check_index().ok:
            return "restored from the backup"
    report = search.rebuild_index()
    return f"rebuilt from the database ({report.documents:,} documents)"
