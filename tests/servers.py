"""Helpers for tests that run the archive in processes of its own, as a deployment does:
servers (`declassified runserver`), commands, and the scripts under scripts/ (pg_pair.py,
cluster.py) loaded as modules."""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

from tests.api.test_database_busy import DECLASSIFIED, SETUP, free_port

ROOT = Path(__file__).resolve().parent.parent
__all__ = ["DECLASSIFIED", "FRUS_VOLUMES", "SETUP", "assert_imported_once", "check_index_settled",
           "free_port", "kill_a_worker_mid_import", "query", "script",
           "shared_database", "start_server"]


def script(name: str) -> ModuleType:
    """scripts/<name>.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start_server(env: dict) -> tuple[str, subprocess.Popen]:
    """`declassified runserver` on a free port with `env`, once it answers /: (base URL,
    process). The first request also starts its indexer thread."""
    port = free_port()
    server = subprocess.Popen([DECLASSIFIED, "runserver", f"127.0.0.1:{port}", "--noreload"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(base + "/", timeout=10)
            return base, server
        except requests.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.2)


def check_index_settled(env: dict, seconds: float = 60) -> subprocess.CompletedProcess:
    """`declassified check-index` for the node of `env`, once its indexer has applied what
    is waiting (or `seconds` have passed)."""
    deadline = time.monotonic() + seconds
    while True:
        checked = subprocess.run([DECLASSIFIED, "check-index"], env=env, text=True,
                                 capture_output=True, timeout=120)
        if "waiting index tasks: 0" in checked.stdout or time.monotonic() > deadline:
            return checked
        time.sleep(0.5)


@contextmanager
def shared_database(folder: Path):
    """A DATABASE_URL for the nodes: like this run's, but a database of their own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{folder / 'shared.sqlite3'}"
        return
    name = f"declassified_nodes_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_QUEUE = """
from declassified.ingest.jobs import enqueue_frus_import
print(enqueue_frus_import({paths!r}).pk)
"""


def queue_import(env: dict, paths: list[str]) -> int:
    """An import job of these FRUS files, queued (with its task) by a command: its ID."""
    return int(subprocess.run(
        [DECLASSIFIED, "shell", "-c", _QUEUE.format(paths=paths)], env=env, check=True,
        capture_output=True, text=True, timeout=120).stdout.split()[-1])


def query(database_url: str, sql: str, *params):
    """One row, read straight from the workers' database (not through Django's test one)."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            return connection.execute(sql.replace("%s", "?"), params).fetchone()
    with psycopg.connect(database_url) as connection:
        return connection.execute(sql, params).fetchone()


def job(database_url: str, pk: int) -> dict:
    state, worker, attempts, progress, report = query(
        database_url, "SELECT state, worker, attempts, progress, report FROM ingest_importjob "
                      "WHERE id = %s", pk)
    return {"state": state, "worker": worker, "attempts": attempts,
            "progress": as_dict(progress), "report": as_dict(report)}


def as_dict(value) -> dict:
    """A JSON column: text from SQLite, already a dict from PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.05)
    return found


FRUS_VOLUMES = ROOT.parent / "shared" / "corpus" / "frus" / "volumes"
# Four volumes of about 800 kB compressed (~1–2 s each to import here): long enough to kill
# the worker between two of them, short enough for a test.
MID_IMPORT_VOLUMES = ["frus1955-57v02", "frus1955-57v10", "frus1955-57v13", "frus1955-57v19"]


def kill_a_worker_mid_import(database_url: str, env: dict, workers: dict[str, int],
                             kill) -> tuple[dict, str]:
    """Queue an import of MID_IMPORT_VOLUMES; once its first volume is in, `kill(name)` the
    worker (of `workers`: name → process ID) running it; wait for the job to end. Returns
    the job's row and the name of the worker killed."""
    pk = queue_import(env, [str(FRUS_VOLUMES / f"{name}.xml.gz") for name in MID_IMPORT_VOLUMES])

    def between_volumes() -> dict | None:
        now = job(database_url, pk)
        done = now["progress"].get("volumes_done", 0)
        return now if now["state"] == "running" and 1 <= done < len(MID_IMPORT_VOLUMES) else None

    running = wait_for(between_volumes, 180, "the first volume imported")
    victim = next(name for name, pid in workers.items() if running["worker"].endswith(f":{pid}"))
    kill(victim)
    # Taken back within seconds: the other worker's sweep sees the process gone (not only,
    # 90 s later, the silence of its heartbeat).
    wait_for(lambda: (now := job(database_url, pk))["state"] != "running"
             or now["attempts"] > running["attempts"], 30, "the job queued again")
    finished = wait_for(lambda: (now := job(database_url, pk))["state"] in ("done", "failed")
                        and now, 300, "the job finished by another worker")
    return finished, victim


def assert_imported_once(database_url: str, finished: dict) -> None:
    """Every volume of the job in its report once, and each document in the archive once."""
    assert finished["state"] == "done", finished
    volumes = finished["report"]["volumes"]
    assert sorted(v["volume"] for v in volumes) == MID_IMPORT_VOLUMES
    imported = query(database_url, "SELECT COUNT(*), COUNT(DISTINCT source_id) FROM "
                                   "archive_document WHERE source_id LIKE 'frus1955-57v%%'")
    assert imported[0] == imported[1] == sum(v["documents"] for v in volumes) > 1000

