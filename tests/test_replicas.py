"""Reads from a PostgreSQL streaming replica (issue 18.1), on a real primary and a real
replica made for this module (scripts/pg_pair.py: initdb, then pg_basebackup), with servers
in their own processes, as a deployment runs them.

Whether a read came from the replica is seen by pausing the replica's replay: a document
published on the primary after the pause is missing there (a 404) and present on the
primary (a 200).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import requests

from tests.servers import DECLASSIFIED, SETUP, free_port, script, start_server

pg_pair = script("pg_pair")

needs_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL replication: run in the PostgreSQL pass of `make test`")


@pytest.mark.parametrize(("primary", "replicas", "message"), [
    ("sqlite:////tmp/x.sqlite3", "postgres://127.0.0.1/r",
     "DATABASE_REPLICA_URLS needs a PostgreSQL primary (DATABASE_URL)."),
    ("postgres://127.0.0.1/p", "sqlite:////tmp/r.sqlite3",
     "DATABASE_REPLICA_URLS: 'sqlite:////tmp/r.sqlite3' is not a postgres://… URL."),
])
def test_replicas_it_cannot_use_stop_the_process_with_a_message(tmp_path, primary, replicas,
                                                                message):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "declassified.settings",
                   "DECLASSIFIED_DATA_DIR": str(tmp_path), "DATABASE_URL": primary,
                   "DATABASE_REPLICA_URLS": replicas}
    started = subprocess.run([sys.executable, "-c", "import django; django.setup()"],
                             env=environment, capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    assert f"Configuration error: {message}" in started.stderr
    assert "Traceback" not in started.stderr


def free_port_pair() -> int:
    """A port P with P and P+1 free."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two free ports in a row")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The pair's folder and URLs, an editor's API key, and two servers reading from the
    replica: one that tolerates an hour of lag, one that tolerates one second."""
    if shutil.which("runuser") is None and os.geteuid() == 0:
        pytest.fail("runuser (util-linux) is needed to run PostgreSQL as postgres")
    # Not under pytest's folder, which only root may enter: the servers run as postgres.
    folder = Path(tempfile.mkdtemp(prefix="declassified-replicas-"))
    primary, replica = pg_pair.start(folder, free_port_pair())
    servers: list[subprocess.Popen] = []
    try:
        common = {**os.environ, "DATABASE_URL": primary, "DATABASE_REPLICA_URLS": replica,
                  "DEBUG": "0", "DECLASSIFIED_INDEXER_THREAD": "0", "RESPONSE_CACHE": "0",
                  "DUMPS_REFRESH_ON_REQUEST": "0",
                  "DECLASSIFIED_DATA_DIR": str(tmp_path_factory.mktemp("replicas-data"))}
        subprocess.run([DECLASSIFIED, "migrate", "-v0"], env=common, check=True, timeout=300)
        key = subprocess.run([DECLASSIFIED, "shell", "-c", SETUP], env=common, check=True,
                             text=True, capture_output=True, timeout=120).stdout.split()[-1]
        bases = {}
        for name, lag in (("tolerant", "3600"), ("strict", "1")):
            base, server = start_server({**common, "REPLICA_MAX_LAG_SECONDS": lag})
            servers.append(server)
            bases[name] = base
        yield {"folder": folder, "primary": primary, "replica": replica, "key": key, **bases}
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        pg_pair.stop(folder)


def replica_sql(cluster, statement: str) -> None:
    with psycopg.connect(cluster["replica"], autocommit=True) as connection:
        connection.execute(statement)


def publish(cluster, title: str) -> int:
    """A published document, written through the API (a token: the primary)."""
    editor = {"Authorization": f"Bearer {cluster['key']}"}
    base = cluster["tolerant"]
    pk = requests.post(f"{base}/api/v1/documents", json={"title": title, "date": "1965-02-11"},
                       headers=editor, timeout=30).json()["id"]
    answer = requests.post(f"{base}/api/v1/documents/{pk}/publish", headers=editor, timeout=30)
    assert answer.status_code == 200, answer.text
    return pk


@pytest.fixture
def replay_paused(cluster):
    """The replica caught up, then frozen: it has nothing written after this point."""
    publish(cluster, "Before the pause")
    pg_pair.wait_replayed(cluster["primary"], cluster["replica"])
    replica_sql(cluster, "SELECT pg_wal_replay_pause()")
    yield
    replica_sql(cluster, "SELECT pg_wal_replay_resume()")
    pg_pair.wait_replayed(cluster["primary"], cluster["replica"])


def status(url: str, **kwargs) -> int:
    return requests.get(url, timeout=30, **kwargs).status_code


@needs_postgres
def test_anonymous_reads_come_from_the_replica_and_editors_read_the_primary(cluster,
                                                                           replay_paused):
    pk = publish(cluster, "Kosygin cable")
    api = f"{cluster['tolerant']}/api/v1/documents/{pk}"
    assert status(api) == 404  # the replica has not replayed it
    assert status(api, headers={"Authorization": f"Bearer {cluster['key']}"}) == 200


@needs_postgres
def test_a_replica_lagging_beyond_the_bound_is_skipped(cluster, replay_paused):
    pk = publish(cluster, "Kosygin letter")
    time.sleep(2.5)  # the strict server's bound is 1 s; it checks the lag once a second
    assert status(f"{cluster['strict']}/api/v1/documents/{pk}") == 200
    assert status(f"{cluster['strict']}/document/{pk}/") in (200, 301, 302)


@needs_postgres
def test_after_a_write_the_same_browser_reads_the_primary(cluster, replay_paused):
    pk = publish(cluster, "Kosygin memorandum")
    browser = requests.Session()
    url = f"{cluster['tolerant']}/api/v1/documents/{pk}"
    assert browser.get(url, timeout=30).status_code == 404
    login = f"{cluster['tolerant']}/admin/login/"
    browser.get(login, timeout=30)
    browser.post(login, data={"username": "alice", "password": "correct horse battery",
                              "csrfmiddlewaretoken": browser.cookies.get("csrftoken", "")},
                 headers={"Referer": login}, timeout=30)
    assert "sessionid" in browser.cookies
    assert browser.get(url, timeout=30).status_code == 200  # logged in: the primary
    browser.cookies.pop("sessionid")  # the session gone, the write's cookie still there
    assert browser.get(url, timeout=30).status_code == 200


@needs_postgres
def test_a_stopped_replica_is_skipped_without_an_error(cluster):
    pk = publish(cluster, "Kosygin telegram")
    pg_pair.stop_replica(cluster["folder"])
    try:
        for _ in range(3):
            started = time.monotonic()
            assert status(f"{cluster['tolerant']}/api/v1/documents/{pk}") == 200
            assert status(f"{cluster['tolerant']}/") == 200
            assert time.monotonic() - started < 5
    finally:
        pg_pair.start_replica(cluster["folder"])
        pg_pair.wait_replayed(cluster["primary"], cluster["replica"])
