"""`declassified serve` as `make run` starts it: slow clients cannot stop it, a kill -9 during
indexing loses nothing, it serves before the bulk data dumps are regenerated, and its worker
runs the queued jobs (the sample facsimiles' OCR)."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
import urllib.error
import urllib.request

from tests.faults.conftest import (
    PATHS,
    kill_group,
    kill_only,
    live_processes_in_group,
    needs_corpus,
    wait_for,
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str = "/", timeout: float = 10) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return status, time.monotonic() - started


def serve(archive, port: int, *args: str, **env: str):
    server = archive.start("serve", "--port", str(port), *args, env=env)
    wait_for(lambda: get(port, timeout=2)[0] == 200, 30, "the server to answer /", every=0.1)
    return server


def test_the_server_answers_within_two_seconds_while_slow_clients_hang_on(archive):
    archive.run("load-samples")
    port = free_port()
    server = serve(archive, port, "--no-dumps", "--no-worker")  # only the server's processes
    held = []
    for number in range(20):  # more than all the server's threads together
        connection = socket.create_connection(("127.0.0.1", port))
        if number % 2:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        held.append(connection)
    try:
        for path in ("/", "/search/?q=soviet", "/api/v1/search?q=soviet", "/"):
            status, seconds = get(port, path, timeout=5)
            assert (status, path) == (200, path) and seconds < 2, (path, status, seconds)
    finally:
        for connection in held:
            connection.close()

    workers = [pid for pid in live_processes_in_group(server.pid) if pid != server.pid]
    assert len(workers) == 2  # SERVER_PROCESSES
    os.kill(workers[0], signal.SIGKILL)  # one server process crashes: another replaces it
    wait_for(lambda: len(live_processes_in_group(server.pid)) == 3 and workers[0] not in
             live_processes_in_group(server.pid), 10, "a new server process")
    assert get(port)[0] == 200

    kill_only(server)  # kill -9 of `serve` alone: its server processes end with it
    wait_for(lambda: not live_processes_in_group(server.pid), 5, "the server processes to end")


def test_the_server_serves_at_once_and_makes_the_dumps_in_the_background(archive):
    archive.run("load-samples")
    port = free_port()
    server = serve(archive, port)  # / answered before the dumps exist or while they are made
    manifest = archive.directory / "dumps" / "manifest.json"
    wait_for(manifest.exists, 30, "the dumps generated in the background", every=0.2)
    # The samples' 51 documents: the seed's 20 and 31 FRUS documents.
    assert json.loads(manifest.read_text())["dumps"][0]["documents"] == 51
    assert get(port, "/data/archive.jsonl.gz")[0] == 200
    kill_group(server)


def count(archive, sql: str) -> int:
    with archive.connect() as database:
        return database.execute(sql).fetchone()[0]


def test_the_servers_worker_reads_the_sample_facsimiles_and_dies_with_it(archive):
    archive.run("load-samples")  # renders the facsimiles' 7 pages and queues their OCR job
    assert count(archive, "SELECT count(*) FROM ingest_importjob WHERE kind = 'ocr'") == 1
    port = free_port()
    server = serve(archive, port, "--no-dumps")
    try:
        done = "SELECT count(*) FROM ingest_importjob WHERE kind = 'ocr' AND state = 'done'"
        wait_for(lambda: count(archive, done) == 1, 120,
                 "the server's worker to read the 7 sample pages", every=0.5)
        assert count(archive, "SELECT count(*) FROM archive_pagetext") == 7
        assert len(live_processes_in_group(server.pid)) == 4  # serve, 2 server processes, worker
        kill_only(server)  # kill -9 of `serve` alone: its worker ends with it too
        wait_for(lambda: not live_processes_in_group(server.pid), 5, "every child to end")
    finally:
        kill_group(server)


REINDEX_EVERYTHING = (
    "from django.db import transaction; from declassified.archive.actions import "
    "enqueue_reindex; from declassified.archive.models import Document\n"
    "with transaction.atomic(): enqueue_reindex(Document.objects.values_list('pk', flat=True))"
)


@needs_corpus
def test_killing_the_indexer_or_the_server_while_indexing_loses_nothing(archive):
    archive.run("import-frus", *PATHS)
    before = archive.facts()
    archive.run("shell", "-c", REINDEX_EVERYTHING)  # every document waits in the outbox
    assert archive.facts()["pending"] == before["documents"]

    indexer = archive.start("indexer")
    time.sleep(1.5)  # Django starts, the indexer begins applying the outbox
    kill_group(indexer)
    port = free_port()
    server = serve(archive, port, DECLASSIFIED_INDEXER_THREAD="1")  # / starts its indexer
    time.sleep(0.3)
    kill_group(server)

    server = serve(archive, port, DECLASSIFIED_INDEXER_THREAD="1")
    wait_for(lambda: archive.facts()["pending"] == 0, 60, "the indexer to catch up", every=0.5)
    kill_group(server)
    after = archive.facts()
    assert (after["documents"], after["volumes"]) == (before["documents"], before["volumes"])
    assert "The search index matches the database" in archive.run("check-index").stdout


def test_the_server_refuses_a_body_past_the_upload_limit_before_reading_it(archive):
    port = free_port()
    server = serve(archive, port, "--no-dumps", IMPORT_MAX_UPLOAD_MB="1")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(b"POST /admin/ingest/importjob/add/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               b"Content-Type: application/octet-stream\r\n"
                               b"Content-Length: 50000000\r\n\r\n")  # 50 MB announced, none sent
            answer = connection.recv(4096)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert get(port)[0] == 200
    finally:
        kill_group(server)
