"""Import (and index) every FRUS volume into a fresh database; prints documents/s.

    python bench/frus_bench.py                                   # SQLite in a temp dir
    python bench/frus_bench.py --database-url postgres://postgres@127.0.0.1:5432/declassified
    python bench/frus_bench.py --volumes DIR --limit 10

With PostgreSQL, a scratch database `<name>_frus_bench` is created next to the named one and
dropped afterwards; the named database is not touched. The import runs as `declassified
import-frus` does by default (a queued job run by a worker thread, the search index brought
up to date at the end), so the time is end to end. Targets (issue 4): all 87 volumes in
≤ 2 min on SQLite (≥ 250 documents/s) and ≤ 4 min on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_VOLUMES = ROOT.parent / "shared" / "corpus" / "frus" / "volumes"


def scratch_postgres(url: str) -> tuple[str, str]:
    """(URL of a fresh scratch database beside the named one, its name)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "declassified") + "_frus_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin


def drop_postgres(admin: str, url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(database_url: str | None) -> str:
    data_dir = tempfile.mkdtemp(prefix="declassified-frus-bench-")
    os.environ["DECLASSIFIED_DATA_DIR"] = data_dir
    os.environ["DECLASSIFIED_INDEXER_THREAD"] = "0"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declassified.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return data_dir


def run(volumes: list[Path]) -> dict:
    from django.core.management import call_command

    from declassified.ingest.models import ImportJob

    started = time.monotonic()
    call_command("import_frus", *[str(v) for v in volumes], verbosity=0)
    seconds = time.monotonic() - started
    job = ImportJob.objects.latest("id")
    totals = job.report["totals"]
    return {"seconds": seconds, "documents": totals["documents"], "volumes": totals["volumes"],
            "phases": job.progress.get("seconds", {}), "indexed": job.progress.get("indexed"),
            "indexing_error": job.progress.get("indexing_error")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgres://… (default: SQLite in a temp dir)")
    parser.add_argument("--volumes", type=Path, default=DEFAULT_VOLUMES)
    parser.add_argument("--limit", type=int, help="only the first N volumes")
    args = parser.parse_args()
    if not args.volumes.is_dir():
        print(f"no corpus at {args.volumes}; nothing to measure")
        return 2
    volumes = sorted(args.volumes.glob("*.xml.gz"))[: args.limit or None]
    url, admin = (None, None)
    if args.database_url:
        url, admin = scratch_postgres(args.database_url)
    data_dir = setup_django(url)
    try:
        figures = run(volumes)
    finally:
        if admin:
            drop_postgres(admin, url)
        shutil.rmtree(data_dir, ignore_errors=True)
    rate = figures["documents"] / figures["seconds"]
    database = "postgresql" if url else "sqlite"
    print(f"FRUS import ({database}): {figures['volumes']} volumes, {figures['documents']} "
          f"documents in {figures['seconds']:.1f} s = {rate:.0f} documents/s end to end "
          f"(imported and indexed)")
    print(f"  phases (s): {figures['phases']}; index changes applied: {figures['indexed']}")
    if figures["indexing_error"]:
        print(f"  indexing FAILED: {figures['indexing_error']}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
