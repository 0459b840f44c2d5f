"""Task queue benchmark (issue 18.3): what the queue itself costs, apart from the jobs.

    .venv/bin/python bench/queue_bench.py                         # SQLite file
    .venv/bin/python bench/queue_bench.py --db postgresql --tasks 2000

On a fresh database (a SQLite file, or a PostgreSQL database made for the run and dropped
after), it measures django-tasks-db as `declassified worker` runs it:

- enqueue: tasks queued one after the other, each in its own transaction, by one process;
- drain: with 1 and then 2 `declassified worker` processes started on a full queue, tasks
  run per second, from the first task's start to the last one's end. Each task names a job
  that does not exist, so it does what every task does first (look for its job and claim
  it) and then nothing: what is measured is the queue's own work;
- pickup: tasks queued 0.2–0.7 s apart to idle workers; how long each waited to start
  (started_at − enqueued_at): the workers poll every second when idle.

It prints, per database:

    queue db=<vendor> enqueue_per_s=… drain_per_s workers=1 … workers=2 … \
          pickup_ms p50=… p95=… max=… load_average=…
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from load_bench import DECLASSIFIED, bench_database  # noqa: E402

ENQUEUE = """
import time
from declassified.ingest.job_queue import run_import_job
started = time.perf_counter()
for n in range({count}):
    run_import_job.enqueue(10_000_000 + n)  # no such job: the task finds nothing to do
print({count} / (time.perf_counter() - started))
"""
PACED = """
import random, time
from declassified.ingest.job_queue import run_import_job
pace = random.Random(18)
for n in range({count}):
    run_import_job.enqueue(20_000_000 + n)
    time.sleep(pace.uniform(0.2, 0.7))
"""
TABLE = "django_tasks_database_dbtaskresult"


class Database:
    def __init__(self, url: str) -> None:
        self.url = url

    def one(self, sql: str):
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as connection:
                return connection.execute(sql).fetchone()
        import psycopg

        with psycopg.connect(self.url) as connection:
            return connection.execute(sql).fetchone()

    def all(self, sql: str) -> list:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as connection:
                return connection.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url) as connection:
            return connection.execute(sql).fetchall()

    def waiting(self) -> int:
        return self.one(f"SELECT COUNT(*) FROM {TABLE} WHERE status IN ('READY', 'RUNNING')")[0]


def shell(env: dict, code: str) -> str:
    return subprocess.run([DECLASSIFIED, "shell", "-c", code], env=env, check=True, text=True,
                          capture_output=True, timeout=3600).stdout


def start_workers(env: dict, count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([DECLASSIFIED, "worker"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL) for _ in range(count)]


def stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)


def drain(env: dict, db: Database, tasks: int, workers: int) -> float:
    """Tasks per second for `workers` workers started on the queue of `tasks` tasks, from
    the first task's start to the last one's end (the workers' own start-up left out)."""
    running = start_workers(env, workers)
    try:
        while db.waiting():
            time.sleep(0.05)
    finally:
        stop(running)
    rows = db.all(f"SELECT started_at, finished_at FROM {TABLE} ORDER BY enqueued_at DESC "
                  f"LIMIT {tasks}")
    first = min(_when(started) for started, _ in rows)
    last = max(_when(finished) for _, finished in rows)
    return tasks / (last - first)


def enqueue(env: dict, tasks: int) -> float:
    """Tasks queued per second by one process."""
    return float(shell(env, ENQUEUE.format(count=tasks)).split()[-1])


def pickup(env: dict, db: Database, count: int) -> list[float]:
    """Seconds each paced task waited before a worker started it (two idle workers)."""
    db_marker = db.one(f"SELECT COUNT(*) FROM {TABLE}")[0]
    running = start_workers(env, 2)
    try:
        time.sleep(3)  # the workers are up and idle
        shell(env, PACED.format(count=count))
        while db.waiting():
            time.sleep(0.05)
    finally:
        stop(running)
    rows = db.all(f"SELECT enqueued_at, started_at FROM {TABLE} ORDER BY enqueued_at")[db_marker:]
    return [(_when(started) - _when(enqueued)) for enqueued, started in rows]


def _when(value) -> float:
    if isinstance(value, str):  # SQLite
        from datetime import datetime

        value = datetime.fromisoformat(value)
    return value.timestamp()


def run(work: Path, database_url: str, vendor: str, tasks: int) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "DECLASSIFIED_DATA_DIR": str(work),
           "DECLASSIFIED_INDEXER_THREAD": "0"}
    subprocess.run([DECLASSIFIED, "migrate", "-v0"], env=env, check=True, timeout=900)
    db = Database(database_url)
    enqueue_rate = enqueue(env, tasks)
    one = drain(env, db, tasks, 1)
    enqueue(env, tasks)
    two = drain(env, db, tasks, 2)
    waits = sorted(seconds * 1000 for seconds in pickup(env, db, 60))
    p95 = waits[max(0, round(0.95 * len(waits)) - 1)]
    print(f"queue db={vendor} tasks={tasks} enqueue_per_s={enqueue_rate:.0f} "
          f"drain_per_s workers=1 {one:.0f} workers=2 {two:.0f} "
          f"pickup_ms p50={statistics.median(waits):.0f} p95={p95:.0f} max={waits[-1]:.0f} "
          f"load_average={os.getloadavg()[0]:.2f}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args()
    for vendor in args.db.split(","):
        with tempfile.TemporaryDirectory(prefix="queue-bench-") as folder, \
                bench_database(vendor, Path(folder), "queue") as database_url:
            run(Path(folder), database_url, vendor, args.tasks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
