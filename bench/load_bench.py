"""Load benchmark (issue 13): a mixed read load on the real server while slow clients hang on.

    .venv/bin/python bench/load_bench.py                       # 60 s at concurrency 8 and 32
    .venv/bin/python bench/load_bench.py --duration 15 --keep /tmp/load-archive
    .venv/bin/python bench/load_bench.py --serve-args "--threads 4"   # another server setup

1. An archive of --docs synthetic documents (the search benchmark's generator and loader,
   indexed by the real indexer) in a data directory of its own (--keep reuses one).
2. `declassified serve` on a free loopback port, as `make run` starts it.
3. A warm-up: home, every collection and every document of the pool asked for once, as a
   site that has been serving has them (response cache, the day's citations); not measured.
4. --half-open connections held open for the whole run: half connect and send nothing, half
   send a request line and one header, then one more header byte every few seconds
   (slowloris), never finishing their request; one the server closes (SERVER_CHANNEL_TIMEOUT
   closes silent ones) is opened again at once, so there are always --half-open.
5. A bounded (closed-loop) client: --concurrency threads, each sending one request after the
   other (a new connection each, as a browser without keep-alive), cycling through home,
   a collection, a document (one of --documents), a search with filters and an API search
   (searches all different: rendered, never from the response cache), for --duration
   seconds per concurrency. A request that fails, times out (10 s) or answers other than
   200 is an error.

It prints, per concurrency, one line:

    load concurrency=<n> requests=<r> rps=<x> p50_ms=<y> p99_ms=<z> errors=<e>
         load_average=<l> half_open=<h> half_open_reopened=<n>
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DECLASSIFIED = str(Path(sys.executable).with_name("declassified"))
TIMEOUT = 10.0


# --- The archive ---------------------------------------------------------------------------


def prepare(work: Path, docs: int, seed: int) -> dict:
    """Load and index the archive in a child process (Django stays out of the measuring
    one); returns what the load needs to know (IDs and words to ask for)."""
    ready = work / "load-ready.json"
    if not ready.exists():
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, __file__, "--prepare", str(work), "--docs", str(docs),
                        "--seed", str(seed)], check=True)
    return json.loads(ready.read_text())


def prepare_in_this_process(work: Path, docs: int, seed: int) -> None:
    sys.path.insert(0, str(HERE))
    import search_bench as loader

    loader.setup_django(work, f"sqlite:///{work}/bench.sqlite3")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"Loading {docs:,} documents into {work} …", flush=True)
    corpus = loader.Corpus(seed)
    loader.load_entities(corpus)
    loader.load_documents(corpus, docs)
    loader.index_outbox()
    call_command("setup_groups", verbosity=0)
    rng = random.Random(seed)
    words = [corpus.words[rng.randrange(50, 3000)] for _ in range(50)]
    from declassified.archive.models import Document

    published = list(Document.objects.filter(status=Document.PUBLISHED)
                     .order_by("?").values_list("pk", flat=True)[:2000])
    (work / "load-ready.json").write_text(json.dumps({
        "published": published,
        "documents": docs, "collections": len(corpus.names["collections"]),
        "people": len(corpus.names["people"]), "words": words,
    }))


def request_paths(ready: dict, seed: int, pool: int = 500) -> itertools.cycle:
    """Home, a collection, a document, a search with filters, an API search, in turn.
    Documents come from a pool of `pool` published ones: readers favour some, and a
    document's first view of the day renders its citations (~70 ms, then cached). Searches
    are all different (a word, a person and a year span drawn afresh for each of 4,000
    rounds, nearly all different in a 60-s run), so the response cache answers the pages that
    readers share and never a search: those are rendered, as a new reader's would be."""
    rng = random.Random(seed)
    paths = []
    for _ in range(4000):
        word = rng.choice(ready["words"])
        start = rng.randint(1945, 1975)
        paths += [
            "/",
            f"/collection/{rng.randint(1, ready['collections'])}/",
            f"/document/{rng.choice(ready['published'][:pool])}/",
            f"/search/?q={word}&person={rng.randint(1, 200)}&date_from={start}"
            f"&date_to={start + rng.randint(1, 20)}",
            f"/api/v1/search?q={word}&collection={rng.randint(1, 60)}",
        ]
    return itertools.cycle(paths)


# --- The server --------------------------------------------------------------------------


@contextmanager
def bench_database(vendor: str, work: Path, label: str) -> Iterator[str]:
    """A DATABASE_URL for one run: a SQLite file in `work`, or a PostgreSQL database made for
    the run (on the local server) and dropped after it."""
    if vendor == "sqlite":
        yield f"sqlite:///{work}/{label}.sqlite3"
        return
    import psycopg

    admin = "postgres://postgres@127.0.0.1:5432/postgres"
    name = f"declassified_{label}_bench_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(work: Path, port: int, serve_args: list[str],
                 command: str | None = None) -> subprocess.Popen:
    """`declassified serve` (or `command`, with {port} and {python} filled in) on the archive."""
    env = {**os.environ, "DECLASSIFIED_DATA_DIR": str(work),
           "DATABASE_URL": f"sqlite:///{work}/bench.sqlite3", "ALLOWED_HOSTS": "127.0.0.1"}
    argv = ([part.format(port=port, python=sys.executable) for part in command.split()]
            if command else [DECLASSIFIED, "serve", "--port", str(port), *serve_args])
    server = subprocess.Popen(argv,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if get(port, "/")[0] == 200:
            return server
        time.sleep(0.1)
    stop_server(server)
    raise SystemExit("the server did not answer / within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, 9)
        server.wait()


def get(port: int, path: str) -> tuple[int, float]:
    """(status, seconds) of one GET on a new connection; status 0 when it failed."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - started


# --- Slow clients ------------------------------------------------------------------------


class HalfOpenConnections:
    """`count` connections that never finish a request, for as long as they are held."""

    def __init__(self, port: int, count: int) -> None:
        self.port, self.count = port, count
        self.sockets: list[socket.socket] = []
        self.stop = threading.Event()
        self.reopened = 0

    def __enter__(self) -> HalfOpenConnections:
        self.sockets = [self._open(number) for number in range(self.count)]
        threading.Thread(target=self._dribble, daemon=True).start()
        return self

    def _open(self, number: int) -> socket.socket:
        held = socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)
        if number % 2:  # slowloris: a request begun, never ended
            held.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        return held

    def _dribble(self) -> None:
        """Every 5 s: one more header byte on each slowloris connection, and any connection
        the server has closed (SERVER_CHANNEL_TIMEOUT closes silent ones) opened again, as
        a persistent attacker would: `count` are held all the time."""
        while not self.stop.wait(5):
            for number, held in enumerate(self.sockets):
                if not self._is_open(held):
                    held.close()
                    self.reopened += 1
                    try:
                        self.sockets[number] = held = self._open(number)
                    except OSError:
                        continue
                if number % 2:
                    try:
                        held.sendall(b"a")
                    except OSError:
                        pass

    @staticmethod
    def _is_open(held: socket.socket) -> bool:
        held.setblocking(False)
        try:
            return held.recv(1, socket.MSG_PEEK) != b""
        except BlockingIOError:
            return True
        except OSError:
            return False
        finally:
            held.setblocking(True)

    def still_open(self) -> int:
        """How many the server has not closed (a closed one reads as EOF or fails)."""
        return sum(self._is_open(held) for held in self.sockets)

    def __exit__(self, *exc_info) -> None:
        self.stop.set()
        for held in self.sockets:
            held.close()


def warm_up(port: int, ready: dict, pool: int) -> None:
    """Every page that readers share (home, each collection, each document of the pool)
    asked for once before measuring: the steady state of a site that has been serving,
    where shared pages come from the response cache and citations are rendered for the day.
    Searches are not warmed; each one in the load is new."""
    shared = (["/"] + [f"/collection/{n}/" for n in range(1, ready["collections"] + 1)]
              + [f"/document/{pk}/" for pk in ready["published"][:pool]])
    queue = iter(shared)
    lock = threading.Lock()
    started = time.monotonic()

    def fetch() -> None:
        while True:
            with lock:
                path = next(queue, None)
            if path is None:
                return
            get(port, path)

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"warm-up: {len(shared)} shared pages in {time.monotonic() - started:.1f} s", flush=True)


# --- The load ----------------------------------------------------------------------------


def run_load(port: int, paths: itertools.cycle, concurrency: int, duration: float) -> dict:
    lock = threading.Lock()
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + duration

    def client() -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                path = next(paths)
            status, seconds = get(port, path)
            with lock:
                latencies.append(seconds)
                errors += status != 200

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "concurrency": concurrency, "requests": len(ordered),
        "rps": round(len(ordered) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 1)
        if ordered else None,
        "errors": errors, "load_average": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=5000, help="documents in the archive")
    parser.add_argument("--duration", type=float,
                        default=float(os.environ.get("DURATION") or 60),
                        help="seconds of load per concurrency (DURATION; 60)")
    parser.add_argument("--concurrency", default="8,32", help="client threads, e.g. 8,32")
    parser.add_argument("--documents", type=int, default=500,
                        help="how many distinct published documents are read (500)")
    parser.add_argument("--half-open", type=int, default=100, help="slow connections held")
    parser.add_argument("--serve-args", default="", help="extra arguments for `declassified serve`")
    parser.add_argument("--server-command", metavar="COMMAND",
                        help="measure another server instead, e.g. \"{python} -m gunicorn "
                             "declassified.wsgi:application -b 127.0.0.1:{port} -w 2\"")
    parser.add_argument("--keep", type=Path, help="load into DIR once and reuse it")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare_in_this_process(args.prepare, args.docs, args.seed)
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="load-bench-"))
    try:
        ready = prepare(work, args.docs, args.seed)
        port = free_port()
        server = start_server(work, port, args.serve_args.split(), args.server_command)
        results = []
        try:
            paths = request_paths(ready, args.seed, args.documents)
            warm_up(port, ready, args.documents)
            with HalfOpenConnections(port, args.half_open) as slow:
                for concurrency in (int(c) for c in args.concurrency.split(",")):
                    result = run_load(port, paths, concurrency, args.duration)
                    result["half_open"] = slow.still_open()
                    result["half_open_reopened"] = slow.reopened
                    results.append(result)
                    print("load " + " ".join(f"{k}={v}" for k, v in result.items()), flush=True)
        finally:
            stop_server(server)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if all(r["errors"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
