"""The local cluster of `make cluster` (issue 18.6): HAProxy in front of two web nodes, a
PostgreSQL primary and a streaming replica, all real processes started by
scripts/cluster.py for this module, on free ports. Runs in the PostgreSQL pass of
`make test` (the cluster's own PostgreSQL is made with initdb and pg_basebackup).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests

from tests.servers import (
    DECLASSIFIED,
    FRUS_VOLUMES,
    SETUP,
    assert_imported_once,
    check_index_settled,
    kill_a_worker_mid_import,
    script,
)

cluster_script = script("cluster")

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the cluster runs PostgreSQL: in the PostgreSQL pass of `make test`")


def free_base_port() -> int:
    """A port P with P, P+1, P+2, P+10, P+11 and P+12 free."""
    for base in range(21000 + os.getpid() % 1000 * 20, 60000, 97):
        try:
            for offset in (0, 1, 2, 10, 11, 12):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", base + offset))
        except OSError:
            continue
        return base
    raise RuntimeError("no free ports for the cluster")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster") / "cluster"
    try:
        state = cluster_script.up(folder, free_base_port())
        key = subprocess.run([DECLASSIFIED, "shell", "-c", SETUP],
                             env=cluster_script.node_env(state, "a"), check=True, text=True,
                             capture_output=True, timeout=120).stdout.split()[-1]
        # Each node builds its index from the sample data when it starts; the tests measure
        # a cluster at work, not one still building (on a slow machine that took over 2 s).
        for name in state["nodes"]:
            check_index_settled(cluster_script.node_env(state, name))
        yield {**state, "key": key}
    finally:
        cluster_script.down(folder)


def url(cluster, where: str, path: str) -> str:
    port = cluster["port"] if where == "balancer" else cluster["nodes"][where]["port"]
    return f"http://127.0.0.1:{port}{path}"


def total(cluster, where: str, word: str) -> int:
    answer = requests.get(url(cluster, where, f"/api/v1/search?q={word}"), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["total"]


def node_log(cluster, name: str) -> str:
    """The end of a node's log, for a failure message (the folder goes with the cluster)."""
    log = Path(cluster["nodes"][name]["data"]).parent / f"node-{name}.log"
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"


def publish(cluster, where: str, title: str) -> int:
    editor = {"Authorization": f"Bearer {cluster['key']}"}
    pk = requests.post(url(cluster, where, "/api/v1/documents"), headers=editor, timeout=30,
                       json={"title": title, "date": "1965-02-11"}).json()["id"]
    answer = requests.post(url(cluster, where, f"/api/v1/documents/{pk}/publish"),
                           headers=editor, timeout=30)
    assert answer.status_code == 200, answer.text
    return pk


def test_a_write_through_node_a_is_searchable_through_node_b_within_2_s(cluster):
    word = f"zq{uuid.uuid4().hex[:10]}"
    publish(cluster, "a", f"Cable {word}")
    saved_at = time.monotonic()
    while total(cluster, "b", word) == 0 and time.monotonic() - saved_at < 2:
        time.sleep(0.05)
    assert total(cluster, "b", word) == 1, node_log(cluster, "b")
    assert total(cluster, "balancer", word) == 1


def test_page_images_and_originals_come_from_the_s3_server_through_either_node(cluster):
    s3 = cluster["s3"]
    bucket = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3['port']}",
                          region_name="us-east-1", aws_access_key_id=s3["key"],
                          aws_secret_access_key=s3["secret"])
    names = [item["Key"] for item in bucket.list_objects_v2(
        Bucket=cluster_script.BUCKET)["Contents"]]
    assert any(name.startswith("attachments/") for name in names)
    assert any(name.startswith("pages/") for name in names)
    page = subprocess.run([DECLASSIFIED, "shell", "-c", FIRST_PAGE], check=True, text=True,
                          capture_output=True, timeout=120,
                          env=cluster_script.node_env(cluster, "a")).stdout.split()[-1]
    for node in ("a", "b"):
        tile = requests.get(url(cluster, node, f"/iiif/3/{page}/full/200,/0/default.jpg"),
                            timeout=30)
        assert tile.status_code == 200 and tile.content[:2] == b"\xff\xd8", tile.text
    for node in cluster["nodes"].values():
        assert not [p for p in (Path(node["data"]) / "media").rglob("*") if p.is_file()]


FIRST_PAGE = """
from declassified.archive.models import Page
print(Page.objects.filter(document__status="published").order_by("pk").first().pk)
"""


def test_reads_through_the_balancer_go_on_while_the_replica_is_stopped(cluster):
    pk = publish(cluster, "balancer", "Kosygin telegram")
    cluster_script.pg_pair.stop_replica(Path(cluster["pg"]))
    try:
        for path in ("/", f"/api/v1/documents/{pk}", "/api/v1/search?q=Kosygin", "/search/?q=Kosygin"):
            for _ in range(2):  # both nodes
                assert requests.get(url(cluster, "balancer", path), timeout=10).status_code == 200
    finally:
        cluster_script.pg_pair.start_replica(Path(cluster["pg"]))


def test_killing_a_node_under_load_loses_no_request_beyond_those_in_flight(cluster):
    paths = ["/", "/api/v1/search?q=Kosygin", "/robots.txt", "/search/?q=treaty"]
    results: list[tuple[float, int]] = []  # (when, status; 0: no answer)
    stop = threading.Event()

    def client(n: int) -> None:
        session = requests.Session()
        while not stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            try:
                code = session.get(url(cluster, "balancer", path), timeout=10).status_code
            except requests.RequestException:
                code = 0
            results.append((time.monotonic(), code))

    clients = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for thread in clients:
        thread.start()
    time.sleep(1.5)
    killed_at = time.monotonic()
    cluster_script.kill_node(cluster, "a", signal.SIGKILL)
    try:
        time.sleep(5)
    finally:
        stop.set()
        for thread in clients:
            thread.join(15)
        cluster_script.start_node(cluster, "a")  # back, whatever happens, for the checks below
    failed = [(round(when - killed_at, 2), code) for when, code in results if code != 200]
    # At most one failure per client, i.e. per request in flight (HAProxy retries most of
    # those on node b: usually none fails) …
    assert len(failed) <= len(clients), failed
    # … and the balancer moved on: once its checks have taken node a out (three missed, a
    # second apart), every request is answered, and many were.
    settled = [code for when, code in results if when > killed_at + 3.5]
    assert len(settled) > 20 and all(code == 200 for code in settled), failed


@pytest.mark.corpus
@pytest.mark.skipif(not FRUS_VOLUMES.is_dir(), reason=f"the FRUS corpus is not at {FRUS_VOLUMES}")
def test_killing_a_worker_mid_import_completes_the_job_on_the_other(cluster):
    workers = {name: worker["pid"] for name, worker in cluster["workers"].items()}
    killed: list[str] = []

    def kill(name: str) -> None:
        killed.append(name)
        cluster_script.kill_worker(cluster, name, signal.SIGKILL)

    try:
        finished, victim = kill_a_worker_mid_import(
            cluster["primary"], cluster_script.node_env(cluster, "a"), workers, kill)
    finally:
        for name in killed:  # back, for the checks below
            cluster_script.start_worker(cluster, name)
    other = next(pid for name, pid in workers.items() if name != victim)
    assert finished["worker"].endswith(f":{other}")
    assert_imported_once(cluster["primary"], finished)
    for worker in cluster["workers"].values():  # the nodes index; the workers keep no index
        assert not list((Path(worker["data"]) / "search-index").glob("*"))


def test_after_all_of_it_check_index_shows_no_drift_on_any_node(cluster):
    for name in cluster_script.NODES:
        checked = check_index_settled(cluster_script.node_env(cluster, name))
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "The search index matches the database." in checked.stdout
