"""Two web nodes benchmark (issue 18.2): how long after a write through node A a search
through node B finds it.

    .venv/bin/python bench/nodes_bench.py                      # SQLite file, 40 writes
    .venv/bin/python bench/nodes_bench.py --db postgresql --writes 100

Two `declassified serve` (as `make run` starts it), each with its own data directory and so
its own search index and indexer thread, on one database (a SQLite file, or a PostgreSQL
database made for the run and dropped after) holding the sample archive (`declassified
setup`). Each write creates a document through node A's API and publishes it; the clock
starts when the publish answers and stops when node B's search API (anonymous, as a reader
would ask) first counts it, polled every 20 ms. Writes are a random 0.05–0.6 s apart. It
prints:

    nodes db=<vendor> writes=<n> visible_on_other_node_ms p50=… p95=… max=… \
          same_node_ms p50=… p95=… max=… load_average=…
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from load_bench import DECLASSIFIED, bench_database, free_port, get, stop_server  # noqa: E402

EDITOR = """
from django.contrib.auth.models import Group, User
from declassified.api.tokens import do_create_token
from declassified.archive.roles import ensure_groups
ensure_groups()
editor = User.objects.create_user("bench-editor", "editor@example.org", "not used at all 1")
editor.is_staff = True
editor.save()
editor.groups.add(Group.objects.get(name="Editor"))
print(do_create_token(editor, "nodes bench")[1])
"""


def call(method: str, url: str, key: str | None = None, body: dict | None = None) -> dict:
    request = urllib.request.Request(url, method=method, data=json.dumps(body or {}).encode()
                                     if method == "POST" else None)
    request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def total(port: int, word: str) -> int:
    return call("GET", f"http://127.0.0.1:{port}/api/v1/search?q={word}")["total"]


def wait_until_found(ports: list[int], word: str, limit: float = 30.0) -> list[float]:
    """Seconds until each node's search first counts `word` (the nodes asked in turn)."""
    started = time.perf_counter()
    found: dict[int, float] = {}
    while len(found) < len(ports):
        for port in ports:
            if port not in found and total(port, word):
                found[port] = time.perf_counter() - started
        if time.perf_counter() - started > limit:
            raise SystemExit(f"{word} not found on every node after {limit} s")
        time.sleep(0.02)
    return [found[port] for port in ports]


def start_node(env: dict, port: int):
    server = subprocess.Popen([DECLASSIFIED, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    deadline = time.monotonic() + 60
    while get(port, "/")[0] != 200:
        if time.monotonic() > deadline:
            stop_server(server)
            raise SystemExit("a node did not answer / within 60 s")
        time.sleep(0.1)
    return server


def run(work: Path, database_url: str, writes: int, vendor: str) -> None:
    common = {**os.environ, "DATABASE_URL": database_url, "ALLOWED_HOSTS": "127.0.0.1",
              "SECRET_KEY": uuid.uuid4().hex * 2, "DUMPS_REFRESH_ON_REQUEST": "0"}
    envs = [{**common, "DECLASSIFIED_DATA_DIR": str(work / name)} for name in "ab"]
    subprocess.run([DECLASSIFIED, "setup"], env=envs[0], check=True, timeout=900,
                   stdout=subprocess.DEVNULL)
    key = subprocess.run([DECLASSIFIED, "shell", "-c", EDITOR], env=envs[0], check=True,
                         text=True, capture_output=True, timeout=120).stdout.split()[-1]
    ports = [free_port(), free_port()]
    servers = []
    try:
        for env, port in zip(envs, ports, strict=True):
            servers.append(start_node(env, port))
        node_a, node_b = ports
        wait_until_found(ports, "Kosygin", limit=300)  # both nodes have built their index
        other, same = [], []
        pacing = random.Random(17)
        for n in range(writes):
            word = f"zq{uuid.uuid4().hex[:10]}"
            pk = call("POST", f"http://127.0.0.1:{node_a}/api/v1/documents", key,
                      {"title": f"Bench cable {n} {word}", "date": "1965-02-11"})["id"]
            call("POST", f"http://127.0.0.1:{node_a}/api/v1/documents/{pk}/publish", key)
            on_b, on_a = wait_until_found([node_b, node_a], word)
            other.append(on_b)
            same.append(on_a)
            # Apart by a random time, so that writes fall anywhere in the indexers' half-second
            # polling cycle rather than locking onto one phase of it.
            time.sleep(pacing.uniform(0.05, 0.6))
    finally:
        for server in servers:
            stop_server(server)
    print(f"nodes db={vendor} writes={writes} visible_on_other_node_ms {summary(other)} "
          f"same_node_ms {summary(same)} load_average={os.getloadavg()[0]:.2f}", flush=True)


def summary(seconds: list[float]) -> str:
    ms = sorted(value * 1000 for value in seconds)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    return f"p50={statistics.median(ms):.0f} p95={p95:.0f} max={ms[-1]:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writes", type=int, default=40)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nodes-bench-") as folder, \
            bench_database(args.db, Path(folder), "nodes") as database_url:
        run(Path(folder), database_url, args.writes, args.db)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
