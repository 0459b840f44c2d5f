"""Restart benchmark (issue 13): how long `make run` takes to serve again on a large archive.

    .venv/bin/python bench/restart_bench.py                    # 30,000 documents
    .venv/bin/python bench/restart_bench.py --docs 30000 --keep /tmp/restart-archive

An archive of --docs synthetic documents (the search benchmark's generator and loader,
indexed by the real indexer) in a data directory of its own; then, twice (a first start
after loading, with stale dumps; then a plain restart), the commands of `make run` — `setup`
(migrate, setup-groups, load-samples), then `serve` — each timed, until the first 200 on /.
Nothing in them may grow with the archive: the dumps are regenerated in the background once
serve listens.
It prints the steps and one line per start:

    restart start=<first|again> seconds=<to first 200> documents=<n> load_average=<l>
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from load_bench import DECLASSIFIED, free_port, get, stop_server  # noqa: E402

SETUP = [["setup"]]  # as the Makefile's `setup` target: migrate, setup-groups, load-samples


def prepare(work: Path, docs: int, seed: int) -> None:
    if (work / "restart-ready").exists():
        return
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, __file__, "--prepare", str(work), "--docs", str(docs),
                    "--seed", str(seed)], check=True)


def prepare_in_this_process(work: Path, docs: int, seed: int) -> None:
    import search_bench as loader

    loader.setup_django(work, f"sqlite:///{work}/bench.sqlite3")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"Loading {docs:,} documents into {work} …", flush=True)
    corpus = loader.Corpus(seed)
    loader.load_entities(corpus)
    loader.load_documents(corpus, docs)
    print("Indexing …", flush=True)
    loader.index_outbox()
    (work / "restart-ready").write_text("ok")


def start_like_make_run(work: Path, label: str, docs: int) -> float:
    env = {**os.environ, "DECLASSIFIED_DATA_DIR": str(work),
           "DATABASE_URL": f"sqlite:///{work}/bench.sqlite3"}
    port = free_port()
    started = time.monotonic()
    for command in SETUP:
        step = time.monotonic()
        subprocess.run([DECLASSIFIED, *command], env=env, check=True, capture_output=True)
        print(f"  {' '.join(command):<20} {time.monotonic() - step:6.2f} s", flush=True)
    step = time.monotonic()
    server = subprocess.Popen([DECLASSIFIED, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        while get(port, "/")[0] != 200:
            if time.monotonic() - started > 300:
                raise SystemExit("no 200 on / within 300 s")
            time.sleep(0.05)
        seconds = time.monotonic() - started
        print(f"  {'serve, first 200 on /':<20} {time.monotonic() - step:6.2f} s", flush=True)
    finally:
        stop_server(server)
    print(f"restart start={label} seconds={seconds:.2f} documents={docs} "
          f"load_average={os.getloadavg()[0]:.2f}", flush=True)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=int(os.environ.get("SIZE") or 30_000),
                        help="documents in the archive (SIZE; 30000)")
    parser.add_argument("--keep", type=Path, help="load into DIR once and reuse it")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare_in_this_process(args.prepare, args.docs, args.seed)
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="restart-bench-"))
    try:
        prepare(work, args.docs, args.seed)
        times = [start_like_make_run(work, label, args.docs) for label in ("first", "again")]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if max(times) <= 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
