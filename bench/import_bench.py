"""Bulk import benchmark (issue 17): `declassified import FILE` of a generated JSON Lines file.

    .venv/bin/python bench/import_bench.py --docs 20000
    .venv/bin/python bench/import_bench.py --docs 100000 --db postgresql

Writes N documents of realistic size (a text of about 1,300 words, ~10 KB of JSON a row:
100,000 rows ≈ 1 GB) with search_bench's seeded generator — title, date, summary, type,
language, archive, people, places, subjects, collections, status, source_id — then runs
`declassified import` on it in a fresh SQLite (or PostgreSQL) database, as a user would,
in its own process. Prints documents/s, the import process's peak resident memory
(getrusage ru_maxrss of the child), its CPU time per document (what a busy machine changes
least) and the load average beside each figure:

    import docs_per_s=<x> peak_rss_mib=<y> size=<n> file_mib=<z> db=<sqlite|postgresql> load=<l>
           seconds=<s> cpu_ms_per_doc=<c>
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import search_bench  # noqa: E402  (the corpus generator, beside this file)

# This checkout's code, whatever the environment's `declassified` script was installed from.
DECLASSIFIED = [sys.executable, "-m", "declassified.cli"]


def write_file(path: Path, size: int, seed: int, words: tuple[int, int] = (900, 1300)) -> None:
    """N rows of JSON Lines, written one at a time; each text of `words` words (a range)."""
    corpus = search_bench.Corpus(seed)
    rng = random.Random(seed)
    names = corpus.names
    with path.open("w", encoding="utf-8") as out:
        for number in range(1, size + 1):
            row = {
                "source_id": f"bench/{number}",
                "title": corpus.text(rng.randint(8, 20)).capitalize(),
                "date": corpus.date(),
                "summary": corpus.text(rng.randint(20, 60)).capitalize() + ".",
                "type": rng.choice(search_bench.TYPES),
                "language": [rng.choice(search_bench.LANGUAGES)],
                "archive": names["repositories"][rng.randrange(len(names["repositories"]))],
                "people": _some(rng, names["people"], 1, 6),
                "places": _some(rng, names["places"], 0, 3),
                "subjects": _some(rng, names["subjects"], 1, 4),
                "collections": _some(rng, names["collections"], 1, 2),
                "status": "published" if rng.random() < 0.97 else "draft",
                "text": corpus.body_html(rng.randint(*words)),
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _some(rng: random.Random, names: list[str], low: int, high: int) -> list[str]:
    # Squared uniform, as search_bench's tags: some names recur far more than others.
    count = rng.randint(low, high)
    return list(dict.fromkeys(names[int(len(names) * rng.random() ** 2)] for _ in range(count)))


def database(db: str, work: Path, pg_url: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{work}/bench.sqlite3"
    import psycopg

    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as connection:
        connection.execute('DROP DATABASE IF EXISTS "declassified_bench_import"')
        connection.execute('CREATE DATABASE "declassified_bench_import"')
    return f"{pg_url}/declassified_bench_import"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=search_bench.PG_DEFAULT)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--words", type=int, nargs=2, default=(900, 1300), metavar=("LOW", "HIGH"),
                        help="words of each text, drawn between LOW and HIGH (default 900 1300: "
                             "~10 KB a row); short texts check memory at a million rows quickly")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.db == "postgresql":
            import psycopg

            with psycopg.connect(f"{args.pg_url}/postgres", autocommit=True) as connection:
                connection.execute('DROP DATABASE IF EXISTS "declassified_bench_import"')


def run(args, work: Path) -> None:
    path = work / "documents.jsonl"
    print(f"Writing {args.docs:,} documents to {path} …", flush=True)
    write_file(path, args.docs, args.seed, tuple(args.words))
    file_mib = path.stat().st_size / 2**20
    env = {**os.environ, "DECLASSIFIED_DATA_DIR": str(work / "data"),
           "DATABASE_URL": database(args.db, work, args.pg_url),
           "DECLASSIFIED_INDEXER_THREAD": "0", "PYTHONPATH": str(HERE.parent)}
    subprocess.run([*DECLASSIFIED, "migrate", "--verbosity", "0"], env=env, check=True)
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    migrate_cpu = done.ru_utime + done.ru_stime
    print(f"Importing {file_mib:,.0f} MiB into {args.db} …", flush=True)
    started = time.perf_counter()
    subprocess.run([*DECLASSIFIED, "import", str(path)], env=env, check=True)
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime - migrate_cpu  # the import's own CPU time
    load = os.getloadavg()[0]
    print(f"\nimport docs_per_s={args.docs / elapsed:.0f} peak_rss_mib={peak:.0f} "
          f"size={args.docs} file_mib={file_mib:.0f} db={args.db} load={load:.1f} "
          f"seconds={elapsed:.1f} cpu_ms_per_doc={cpu * 1000 / args.docs:.2f}")


if __name__ == "__main__":
    main()
