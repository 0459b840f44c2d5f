"""The database part of a backup: a consistent copy taken while the site runs, and its restore.

SQLite: the online backup API (sqlite3.Connection.backup) copies a snapshot page by page
through Django's own connection, so writers in other processes go on (WAL) and the copy is
one transaction's view. PostgreSQL: `pg_dump --format=custom`, a single-transaction snapshot,
restored with `pg_restore`. A backup restores onto the same vendor only.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
# Rows that mean "this database already holds an archive" (migrate alone creates none of them).
CONTENT_TABLES = ["archive_document", "archive_collection", "archive_person", "auth_user"]


class DatabaseBackupError(Exception):
    """The database cannot be backed up or restored; the message says why and what to do."""


def vendor() -> str:
    return connection.vendor


def server_version() -> str:
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        return str(connection.pg_version)  # type: ignore[attr-defined]
    return sqlite3.sqlite_version


def back_up_database(folder: Path) -> str:
    """Write a consistent copy of the database into `folder`; the file's name."""
    if connection.vendor == "sqlite":
        target = folder / SQLITE_FILE
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return SQLITE_FILE
    if connection.vendor == "postgresql":
        _check_pg_tool("pg_dump")
        _run_pg(["pg_dump", "--format=custom", "--no-owner", "--file", str(folder / POSTGRES_FILE)])
        return POSTGRES_FILE
    raise DatabaseBackupError(f"Backups of a {connection.vendor} database are not supported.")


def holds_an_archive() -> bool:
    """Whether the database already has documents, collections, people or users."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in CONTENT_TABLES:
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def restore_database(file: Path, backup_vendor: str) -> None:
    """Replace the database's content with the backup's (the caller checked it may)."""
    if backup_vendor != connection.vendor:
        raise DatabaseBackupError(
            f"This backup holds a {backup_vendor} database, but DATABASE_URL points to "
            f"{connection.vendor}; restore it onto the same kind of database.")
    connections.close_all()
    if connection.vendor == "sqlite":
        _restore_sqlite(file, Path(connection.settings_dict["NAME"]))
    else:
        _check_pg_tool("pg_restore")
        _run_pg(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 "--exit-on-error", str(file)], database_flag=True)
    connections.close_all()


def _restore_sqlite(file: Path, target: Path) -> None:
    # Through the backup API into the live file (not a file copy), so the WAL and any open
    # reader stay consistent; the whole target is replaced page by page.
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(file) as source, sqlite3.connect(target) as destination:
        source.backup(destination)
    source.close()
    destination.close()


def _pg_environment() -> dict[str, str]:
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _run_pg(command: list[str], *, database_flag: bool = False) -> None:
    if database_flag:
        command = [*command[:-1], "--dbname", connection.settings_dict["NAME"], command[-1]]
    done = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DatabaseBackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def _check_pg_tool(tool: str) -> None:
    """The tool exists and is not older than the server (it would refuse, less clearly)."""
    if shutil.which(tool) is None:
        raise DatabaseBackupError(
            f"{tool} is not installed; it comes with PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client). Install the version of the server.")
    output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    connection.ensure_connection()
    server_major = connection.pg_version // 10_000  # type: ignore[attr-defined]
    if match is None or int(match.group(1)) < server_major:
        raise DatabaseBackupError(
            f"{tool} {match.group(1) if match else '(unknown version)'} is older than the "
            f"PostgreSQL {server_major} server; install PostgreSQL {server_major}'s client tools.")
