"""Two web nodes, each with its own index, sharing one database (issue 18.2): a document
saved through one is found through the other within 2 s, and `check-index` on each node
finds no drift.

Real servers in their own processes, each with its own data directory (so its own search
index and indexer thread), on one database: a SQLite file, or a PostgreSQL database made
for this module when the run is on PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid

import pytest
import requests

from tests.servers import DECLASSIFIED, SETUP, check_index_settled, shared_database, start_server

VISIBLE_WITHIN = 2.0  # seconds, the bound


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    """[(base URL, environment)] of two running nodes, and an editor's API key."""
    folder = tmp_path_factory.mktemp("two-nodes")
    with shared_database(folder) as database_url:
        common = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0",
                  "DECLASSIFIED_INDEXER_THREAD": "1", "DUMPS_REFRESH_ON_REQUEST": "0"}
        envs = [{**common, "DECLASSIFIED_DATA_DIR": str(folder / name)} for name in "ab"]
        subprocess.run([DECLASSIFIED, "migrate", "-v0"], env=envs[0], check=True, timeout=300)
        key = subprocess.run([DECLASSIFIED, "shell", "-c", SETUP], env=envs[0], check=True,
                             text=True, capture_output=True, timeout=120).stdout.split()[-1]
        servers: list[subprocess.Popen] = []
        try:
            running = []
            for env in envs:
                base, server = start_server(env)
                servers.append(server)
                running.append((base, env))
            yield running, key
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


def found(base: str, word: str) -> int:
    response = requests.get(f"{base}/api/v1/search", params={"q": word}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["total"]


def test_a_document_published_on_one_node_is_found_on_the_other_within_2_s(nodes):
    (node_a, _), (node_b, _) = nodes[0]
    editor = {"Authorization": f"Bearer {nodes[1]}"}
    word = f"zq{uuid.uuid4().hex[:10]}"
    assert found(node_b, word) == 0
    pk = requests.post(f"{node_a}/api/v1/documents", json={"title": f"Cable {word}",
                       "date": "1965-02-11"}, headers=editor, timeout=30).json()["id"]
    published = requests.post(f"{node_a}/api/v1/documents/{pk}/publish", headers=editor,
                              timeout=30)
    assert published.status_code == 200
    saved_at = time.monotonic()
    while found(node_b, word) == 0 and time.monotonic() - saved_at < VISIBLE_WITHIN:
        time.sleep(0.05)
    assert found(node_b, word) == 1, f"not searchable on node B {VISIBLE_WITHIN} s after saving"
    assert found(node_a, word) == 1


def test_check_index_on_each_node_finds_no_drift(nodes):
    for _, env in nodes[0]:
        result = check_index_settled(env)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "The search index matches the database." in result.stdout
        assert "node " in result.stdout  # both nodes are listed with where they stand
