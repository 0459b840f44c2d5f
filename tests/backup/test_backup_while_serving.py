"""`declassified backup` of a SQLite archive in use: it finishes while another process holds
the write lock in the middle of a transaction, and copies only what was committed.

A real file database in WAL mode, as `make run` has it (the test database is in memory).
PostgreSQL's pg_dump takes one transaction's snapshot by design, so this runs on the SQLite pass.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

CLI = str(Path(sys.executable).parent / "declassified")
HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE archive_document SET title = 'UNCOMMITTED ' || title")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
"""


@pytest.mark.skipif("sqlite" not in settings.DATABASES["default"]["ENGINE"], reason="the SQLite pass")
def test_a_backup_runs_beside_an_open_write_and_copies_only_committed_rows(tmp_path):
    database = tmp_path / "archive.sqlite3"
    env = {**os.environ, "DECLASSIFIED_DATA_DIR": str(tmp_path / "data"),
           "DATABASE_URL": f"sqlite:///{database}", "DECLASSIFIED_INDEXER_THREAD": "0"}

    def declassified(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run([CLI, *arguments], env=env, capture_output=True, text=True,
                              timeout=300, check=True)

    declassified("migrate", "--noinput", "-v", "0")
    declassified("load-samples")
    documents = sqlite3.connect(database).execute("SELECT count(*) FROM archive_document").fetchone()[0]
    writer = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(database), "20"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "holding"
        started = time.monotonic()
        declassified("backup", str(tmp_path / "backup"))
        assert time.monotonic() - started < 15  # did not wait for the writer's 20 s
        assert writer.poll() is None  # the write transaction was still open throughout
    finally:
        writer.kill()
        writer.wait()
    copy = sqlite3.connect(tmp_path / "backup" / "database.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    count, uncommitted = copy.execute(
        "SELECT count(*), sum(title LIKE 'UNCOMMITTED %') FROM archive_document").fetchone()
    assert (count, uncommitted) == (documents, 0) and count > 0
