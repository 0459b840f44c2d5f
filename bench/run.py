"""`make bench`: every benchmark, each printing its figures (see docs/performance.md).

    python bench/run.py                 # pages, rendering, search (10k, 100k), FRUS, load, restart,
                                        # iiif, ocr, ocr-speed, ocr-search, indexing, import (100k),
                                        # nodes, cluster, queue
    python bench/run.py load            # `make bench BENCH=load [DURATION=60]`
    python bench/run.py pages search    # a selection
    SIZE=1000000 DB=sqlite,postgresql python bench/run.py search   # `make bench SIZE=… DB=…`
    SIZE=20000 python bench/run.py indexing import                 # one size each
Each benchmark is also runnable on its own with its own options.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = {
    "pages": ["pages_bench.py"],
    "rendering": ["render_bench.py"],  # page rendering: `pages per_s=… kind=pdf|tiff|jpeg`
    "search": ["search_bench.py", "--docs", "10000,100000"],
    "frus": ["frus_bench.py"],
    "load": ["load_bench.py"],        # DURATION=60 (seconds per concurrency)
    "restart": ["restart_bench.py"],  # SIZE=30000 (documents)
    "iiif": ["iiif_bench.py"],        # IIIF tiles (cold cache) and info.json of corpus scans
    "ocr": ["ocr_quality_bench.py"],  # OCR error rates per language and level (corpus scans)
    "ocr-speed": ["ocr_speed_bench.py"],    # OCR jobs: pages per second with two workers
    "ocr-search": ["ocr_search_bench.py"],  # content search: hit boxes (IoU) and latency
    # Issue 17: documents/s through the outbox and the index's size against a plain Tantivy
    # build of the same texts; `declassified import` of a ~1 GB JSON Lines file (SIZE=…).
    "indexing": ["indexing_bench.py", "--docs", "100000"],
    "import": ["import_bench.py", "--docs", "100000"],
    # Issue 18: how soon a write through one web node is searchable through another.
    "nodes": ["nodes_bench.py"],
    # Issue 18: req/s through HAProxy with two web nodes and one (the local cluster).
    "cluster": ["cluster_bench.py"],
    # Issue 18: the task queue's own cost (enqueue, tasks/s with 1 and 2 workers, pickup).
    "queue": ["queue_bench.py"],
}


def main(selected: list[str]) -> int:
    unknown = [name for name in selected if name not in BENCHES]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
        return 2
    failed = 0
    for name in selected or list(BENCHES):
        script, *args = BENCHES[name]
        if name == "search":
            args = _search_args(args)
        elif name in ("indexing", "import"):
            args = _size_args(name, args)
        elif name == "nodes" and os.environ.get("DB"):
            args = [*args, "--db", os.environ["DB"].split(",")[0]]
        elif name == "queue" and os.environ.get("DB"):
            args = [*args, "--db", os.environ["DB"]]
        if not (HERE / script).exists():
            print(f"== {name}: {script} missing")
            failed += 1
            continue
        print(f"== {name}", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / script), *args]) != 0
    return 1 if failed else 0


def _search_args(default: list[str]) -> list[str]:
    """SIZE (documents, or sizes separated by commas) and DB (sqlite, postgresql or both)
    from the environment, as `make bench SIZE=100000 DB=postgresql` sets them."""
    args = list(default)
    if os.environ.get("SIZE"):
        args[args.index("--docs") + 1] = os.environ["SIZE"]
    if os.environ.get("DB"):
        args += ["--db", os.environ["DB"]]
    return args


def _size_args(name: str, default: list[str]) -> list[str]:
    """SIZE (one number of documents) and, for the import, DB from the environment."""
    args = list(default)
    if os.environ.get("SIZE"):
        args[args.index("--docs") + 1] = os.environ["SIZE"].split(",")[0]
    if name == "import" and os.environ.get("DB"):
        args += ["--db", os.environ["DB"].split(",")[0]]
    return args


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
