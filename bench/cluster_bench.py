"""Cluster benchmark (issue 18): requests per second through HAProxy with two web nodes and
with one, for a read-mostly mix, on the local cluster of `make cluster`.

    .venv/bin/python bench/cluster_bench.py                 # 20 s per run
    .venv/bin/python bench/cluster_bench.py --duration 60 --concurrency 4,8,16

scripts/cluster.py starts, in a folder of its own and on free ports, HAProxy, two nodes
(`declassified serve`: two processes of two threads each, and a job worker), a PostgreSQL
primary and a streaming replica, with the sample archive. The load (the bench's own threads,
on the same two cores) is a closed loop of anonymous readers cycling through the home page,
a document page, a search page and an API search (each search with a date span drawn afresh,
so the response cache answers the shared pages but renders the searches), an IIIF tile and
an info.json; one new connection per request. After a warm-up (every tile, info.json and page
once on each node, then 10 s of the mix): with both nodes, with node b stopped (HAProxy's
check takes it out), and with both again. For each run it prints:

    cluster nodes=<2|1> concurrency=… requests=… rps=… p50_ms=… p99_ms=… errors=… load_average=…
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import random
import signal
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from load_bench import get, run_load  # noqa: E402

_spec = importlib.util.spec_from_file_location("cluster", HERE.parent / "scripts" / "cluster.py")
assert _spec and _spec.loader
cluster = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cluster)

ROUNDS = 20_000  # of six requests: more than a sitting makes, so no search is asked twice
WORDS = ["Kosygin", "treaty", "border", "Soviet", "China", "Khrushchev", "Mao", "split",
         "embassy", "talks", "conversation", "minister", "party", "ideology", "meeting"]


def fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def reader_paths(port: int, seed: int) -> itertools.cycle:
    base = f"http://127.0.0.1:{port}"
    documents = fetch_json(f"{base}/api/v1/documents?page_size=100")["results"]
    tiles = [f"/iiif/3/{page['id']}/{x},{y},512,512/{min(512, page['width'] - x)},/0/default.jpg"
             for document in documents for page in document["pages"]
             for x in (0, 512) for y in (0, 512)]  # an edge tile is as wide as what is left
    infos = [f"/iiif/3/{page['id']}/info.json"
             for document in documents for page in document["pages"]]
    rng = random.Random(seed)
    paths = []
    for _ in range(ROUNDS):
        start = rng.randint(1950, 1985)
        paths += [
            "/",
            f"/document/{rng.choice(documents)['id']}/",
            f"/search/?q={rng.choice(WORDS)}&date_from={start}&date_to={start + rng.randint(1, 15)}",
            f"/api/v1/search?q={rng.choice(WORDS)}&date_from={start}",
            rng.choice(tiles),
            rng.choice(infos),
        ]
    return itertools.cycle(paths)


def warm_up(state: dict, paths: itertools.cycle) -> None:
    """Every tile, info.json and page of the mix once on each node (IIIF images are made
    once per node and kept; pages and citations are cached), then 10 s of the mix."""
    distinct = {path for path in itertools.islice(paths, 6 * ROUNDS)
                if path.startswith(("/iiif/", "/document/")) or path == "/"}
    for node in state["nodes"].values():
        for path in sorted(distinct):
            get(node["port"], path)
    run_load(state["port"], paths, 8, 10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds per run")
    parser.add_argument("--concurrency", default="4,8,16")
    parser.add_argument("--port", type=int, default=23400, help="HAProxy's; nodes on +1, +2")
    args = parser.parse_args()
    levels = [int(level) for level in args.concurrency.split(",")]
    with tempfile.TemporaryDirectory(prefix="cluster-bench-") as folder:
        state = cluster.up(Path(folder) / "cluster", args.port)
        try:
            paths = reader_paths(args.port, seed=18)
            warm_up(state, paths)
            for nodes in (2, 1, 2):  # two again at the end: what drifted over the sitting
                if nodes == 1:
                    cluster.kill_node(state, "b", signal.SIGTERM)
                    time.sleep(5)  # HAProxy's check (every second, three failures) takes it out
                elif state["nodes"]["b"].get("stopped"):
                    cluster.start_node(state, "b")
                    time.sleep(3)  # two good checks bring it back
                state["nodes"]["b"]["stopped"] = nodes == 1
                for level in levels:
                    result = run_load(args.port, paths, level, args.duration)
                    figures = " ".join(f"{key}={value}" for key, value in result.items())
                    print(f"cluster nodes={nodes} {figures}", flush=True)
        finally:
            cluster.down(Path(folder) / "cluster")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
