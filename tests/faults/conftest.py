"""The fault suite's archive: real `declassified` processes on this run's database.

Subprocesses cannot see the in-memory SQLite database of the test run, so on SQLite each
test gets a fresh file database (migrated by the real command); on PostgreSQL they share the
test database, with the test's transactional_db fixture emptying it afterwards. Facts
about the archive are read with plain SQL from that database, as another process would.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

DECLASSIFIED = str(Path(sys.executable).with_name("declassified"))
REPO = Path(__file__).resolve().parents[2]
VOLUMES = REPO.parent / "shared" / "corpus" / "frus" / "volumes"
# Small real volumes (84, 105 and 140 documents): three, so the import parses ahead.
SMALL_VOLUMES = [VOLUMES / f"{name}.xml.gz" for name in (
    "frus1969-76v38p1", "frus1969-76ve15p1", "frus1964-68v29p2")]
PATHS = [str(path) for path in SMALL_VOLUMES]

FACTS_SQL = {
    "source_ids": "SELECT source_id FROM archive_document",
    "jobs": "SELECT state FROM ingest_importjob ORDER BY state",
    "pending": "SELECT COUNT(*) FROM archive_searchoutbox",
}


def test_database_url() -> str:
    """The URL of the (PostgreSQL) test database, for other processes."""
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    return (f"postgres://{quote(s['USER'] or '')}{password}@{s['HOST'] or '127.0.0.1'}:"
            f"{s['PORT'] or 5432}/{s['NAME']}")


class Archive:
    """An installation of Declassified in `directory`, driven through its command line."""

    def __init__(self, directory: Path, database_url: str) -> None:
        self.directory = directory
        self.env = {**os.environ, "DECLASSIFIED_DATA_DIR": str(directory),
                    "DATABASE_URL": database_url, "DECLASSIFIED_INDEXER_THREAD": "0",
                    "DUMPS_REFRESH_ON_REQUEST": "0"}
        self.started: list[subprocess.Popen] = []

    def run(self, *args: str, timeout: float = 120, check: bool = True,
            env: dict | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run([DECLASSIFIED, *args], env={**self.env, **(env or {})},
                                capture_output=True, text=True, timeout=timeout)
        if check:
            assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result

    def start(self, *args: str, env: dict | None = None) -> subprocess.Popen:
        """Start a command in its own process group (the group is what must vanish)."""
        log = open(self.directory / f"{args[0]}-{len(self.started)}.log", "wb")
        process = subprocess.Popen([DECLASSIFIED, *args], env={**self.env, **(env or {})},
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append(process)
        return process

    def facts(self) -> dict:
        """What the archive holds, read straight from its database (milliseconds, where a
        `declassified shell` would take seconds)."""
        with self.connect() as database:
            rows = {name: [row[0] for row in database.execute(sql).fetchall()]
                    for name, sql in FACTS_SQL.items()}
        ids = rows["source_ids"]
        return {
            "documents": len(ids), "source_ids": len(set(ids)),
            "volumes": dict(Counter(i.split("/")[0] for i in ids if i)),
            "jobs": rows["jobs"], "pending": rows["pending"][0],
        }

    def connect(self):
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite:///"):
            return closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30))
        import psycopg

        return psycopg.connect(url, autocommit=True)

    def stop_everything(self) -> None:
        for process in self.started:
            if process.poll() is None:
                kill_group(process)


def live_processes_in_group(group: int) -> list[int]:
    """Process IDs of the group that still run (zombies, waiting for a reaper, do not)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


def wait_for(condition, timeout: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise AssertionError(f"waited {timeout} s for {what}")


def kill_group(process: subprocess.Popen) -> None:
    """kill -9 of the command and everything it started (a crash of the whole host process)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def kill_only(process: subprocess.Popen) -> None:
    """kill -9 of the command's own process: its children must notice and end by themselves."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


@pytest.fixture
def archive(transactional_db, tmp_path):
    if connection.vendor == "postgresql":
        archive = Archive(tmp_path, test_database_url())
    else:
        archive = Archive(tmp_path, f"sqlite:///{tmp_path}/archive.sqlite3")
        archive.run("migrate", "--noinput")
    yield archive
    archive.stop_everything()


corpus_needed = [
    pytest.mark.corpus,
    pytest.mark.skipif(not VOLUMES.is_dir(), reason=f"the FRUS corpus is not at {VOLUMES}"),
]


def needs_corpus(test):
    """Mark one test as needing the FRUS corpus (skipped without it)."""
    for mark in corpus_needed:
        test = mark(test)
    return test
