"""While another connection holds SQLite's write lock (a long import), reads go on and
writes wait their turn for a bounded time, then answer 503 with Retry-After (issue 13.4).

These run a real server on a real SQLite file (the test database of this run is an
in-memory one, whose locks behave differently), with DATABASE_LOCK_TIMEOUT=3; the lock is
held by a plain sqlite3 connection, as an import's transaction would hold it.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

DECLASSIFIED = str(Path(sys.executable).parent / "declassified")
LOCK_TIMEOUT = 3
SETUP = """
from django.contrib.auth.models import Group, User
from declassified.api.tokens import do_create_token
from declassified.archive.roles import ensure_groups
ensure_groups()
alice = User.objects.create_user("alice", "alice@example.org", "correct horse battery")
alice.is_staff = True
alice.save()
alice.groups.add(Group.objects.get(name="Editor"))
print(do_create_token(alice, "busy test")[1])
"""



def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(base URL, SQLite file, an editor's API key, environment) of a server started for
    these tests."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("SQLite's write lock; the PostgreSQL run uses no SQLite file")
    data = tmp_path_factory.mktemp("busy-site")
    database = data / "site.sqlite3"
    env = {**os.environ, "DECLASSIFIED_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{database}",
           "DATABASE_LOCK_TIMEOUT": str(LOCK_TIMEOUT), "DEBUG": "0",
           "DECLASSIFIED_INDEXER_THREAD": "0", "DUMPS_REFRESH_ON_REQUEST": "0"}
    subprocess.run([DECLASSIFIED, "migrate", "-v0"], env=env, check=True, timeout=300)
    key = subprocess.run([DECLASSIFIED, "shell", "-c", SETUP], env=env, check=True, text=True,
                         capture_output=True, timeout=120).stdout.split()[-1]
    port = free_port()
    server = subprocess.Popen([DECLASSIFIED, "runserver", f"127.0.0.1:{port}", "--noreload"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(base + "/", timeout=5)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        # Warm up the routes the tests time (anonymously: the token's first use is tested).
        for path in ("/", "/api/v1/collections"):
            requests.get(base + path, timeout=30)
        yield base, database, key, env
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def write_lock(site):
    """Hold SQLite's write lock from another connection for the test's duration."""
    holder = sqlite3.connect(site[1], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


def timed(method: str, url: str, **kwargs) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.request(method, url, timeout=30, **kwargs)
    return response, time.monotonic() - started


def test_reading_with_a_token_goes_on_while_an_import_writes(site, write_lock):
    base, _, key, _ = site
    response, seconds = timed("GET", base + "/api/v1/collections",
                              headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    assert seconds < LOCK_TIMEOUT * 0.75  # the token's last-use update did not wait


def test_a_page_read_does_not_wait_for_the_writer(site, write_lock):
    response, seconds = timed("GET", site[0] + "/")
    assert response.status_code == 200
    assert seconds < LOCK_TIMEOUT * 0.75


def test_an_api_write_waits_its_turn_then_answers_json_503_with_retry_after(site, write_lock):
    base, _, key, _ = site
    response, seconds = timed("POST", base + "/api/v1/documents", json={"title": "Cable"},
                              headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Retry-After"] == str(LOCK_TIMEOUT)
    assert "database is busy" in response.json()["error"]
    assert LOCK_TIMEOUT * 0.9 <= seconds < LOCK_TIMEOUT + 3  # it waited, for a bounded time


def test_a_page_write_answers_a_503_page_with_retry_after(site, write_lock):
    base = site[0]
    session = requests.Session()
    session.get(base + "/admin/login/", timeout=30)
    response = session.post(base + "/admin/login/", timeout=30, data={
        "username": "alice", "password": "correct horse battery",
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }, headers={"Referer": base + "/admin/login/"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(LOCK_TIMEOUT)
    assert "The archive is busy" in response.text


def test_once_the_lock_is_released_the_write_goes_through(site):
    base, _, key, _ = site
    response = requests.post(base + "/api/v1/documents", json={"title": "Cable"}, timeout=30,
                             headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 201, response.text


def declassified(env: dict, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run([DECLASSIFIED, *args], env=env, capture_output=True, text=True,
                            timeout=60)
    return result, time.monotonic() - started


def test_an_import_compares_before_it_takes_the_lock_and_then_waits_its_turn(site, tmp_path):
    """A CSV import reads and compares without the write lock (a dry run, or a file that
    changes nothing, needs no lock at all), and its write waits for its turn longer than a
    web request would, instead of failing."""
    env = site[3]
    csv_file = tmp_path / "cables.csv"
    csv_file.write_text("title,source_id\nCable one,busy/1\nCable two,busy/2\n")
    holder = sqlite3.connect(site[1], isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    try:
        dry_run, seconds = declassified(env, "import", "--dry-run", str(csv_file))
        assert dry_run.returncode == 0, dry_run.stderr
        assert "2 created" in dry_run.stdout and seconds < 30
        release = threading.Timer(LOCK_TIMEOUT * 2, lambda: holder.execute("ROLLBACK"))
        release.start()
        imported, seconds = declassified(env, "import", str(csv_file))
        release.join()
        assert imported.returncode == 0, imported.stderr
        assert "2 created" in imported.stdout
        assert seconds >= LOCK_TIMEOUT * 2 * 0.9  # it waited past a web write's timeout
        holder.execute("BEGIN IMMEDIATE")
        again, _ = declassified(env, "import", str(csv_file))  # nothing to write: no lock
        assert again.returncode == 0, again.stderr
        assert "0 created, 0 updated, 2 unchanged" in again.stdout
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()


def test_the_openapi_document_says_any_write_may_answer_503_with_retry_after(client, db):
    document = client.get("/api/v1/openapi.json").json()
    busy = document["components"]["responses"]["DatabaseBusy"]
    assert "Retry-After" in busy["headers"]
    create = document["paths"]["/api/v1/documents"]["post"]["responses"]
    assert create["503"] == {"$ref": "#/components/responses/DatabaseBusy"}
    assert "503" not in document["paths"]["/api/v1/documents"]["get"]["responses"]
