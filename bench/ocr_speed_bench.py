"""OCR jobs: pages read per second with two workers (and one, for comparison).

    python bench/ocr_speed_bench.py [--scans ../shared/corpus/scans] [--limit 40]

Against a fresh SQLite database in a temporary data directory, the scans of the corpus are
attached the documented way (docs/originals.md): the invented Russian and Chinese documents
from their truth files (`import-scan-truth`), the FRUS ones as documents with their source_id
(importing 80 FRUS volumes would take minutes and changes nothing here), then the manifest's
files (`attach-scans --no-ocr`: every n-th row, up to --limit pages, so that every language
and level is in). The pages job renders them and queues their OCR job, which runs here as
`declassified worker` runs it, with OCR_WORKERS=2; then the same pages are read again
(force) with OCR_WORKERS=1. Prints per run
`ocr pages_per_s=<x> pages=<n> workers=<w>   (load <1-minute load average>)`.
Target (issue 15): ≥ 1 page/s with two workers on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages_bench import setup_django  # noqa: E402  (a fresh data dir and SQLite database)

SCANS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "scans"


def chosen_manifest(scans: Path, limit: int, directory: Path) -> Path:
    """A manifest of every n-th row of the corpus's, up to `limit` pages, with its files'
    paths made absolute (attach-scans reads files relative to the manifest)."""
    with open(scans / "manifest.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = sum(int(row["pages"]) for row in rows)
    step = max(1, round(total / max(limit, 1)))
    chosen, pages = [], 0
    for row in rows[::step] + rows:
        if pages >= limit:
            break
        if row not in chosen:
            chosen.append(row)
            pages += int(row["pages"])
    manifest = directory / "manifest.csv"
    with open(manifest, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "source_id"])
        for row in chosen:
            writer.writerow([str(scans / row["file"]), row["source_id"]])
    return manifest


def documents_for(manifest: Path, scans: Path) -> None:
    """The documents the manifest names: invented ones from their truth files, FRUS ones as
    English documents with their source_id."""
    from django.core.management import call_command

    from declassified.archive.actions import do_save_document
    from declassified.archive.models import Document, Language

    call_command("import_scan_truth", str(scans), verbosity=0)
    english, _ = Language.objects.get_or_create(code="en", defaults={"name": "English"})
    with open(manifest, newline="") as handle:
        wanted = {row["source_id"] for row in csv.DictReader(handle)}
    existing = set(Document.objects.values_list("source_id", flat=True))
    for source_id in sorted(wanted - existing):
        document = do_save_document(Document(title=source_id, source_id=source_id,
                                             status=Document.PUBLISHED),
                                    acting_user=None, via="bench")
        document.languages.set([english])


def render(manifest: Path) -> int:
    """`attach-scans --no-ocr` in this process: returns the OCR job its pages job queued."""
    from io import StringIO

    from django.core.management import call_command

    from declassified.ingest.models import ImportJob

    call_command("attach_scans", str(manifest), foreground=True, no_ocr=True, stdout=StringIO())
    return ImportJob.objects.get(kind=ImportJob.OCR, state=ImportJob.QUEUED).pk


def read(job_id: int, workers: int) -> tuple[int, float]:
    from django.conf import settings

    from declassified.ingest.jobs import run_worker
    from declassified.ingest.models import ImportJob

    settings.OCR_WORKERS = workers
    started = time.perf_counter()
    run_worker(only_job=job_id)
    seconds = time.perf_counter() - started
    job = ImportJob.objects.get(pk=job_id)
    totals = job.report.get("totals", {})
    if totals.get("failed"):
        print(f"  {totals['failed']} page(s) failed:\n{job.error}")
    phases = ", ".join(f"{k} {v} s" for k, v in job.progress.get("seconds", {}).items())
    print(f"  job #{job_id}: {phases}")
    return totals.get("read", 0), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scans", type=Path, default=SCANS)
    parser.add_argument("--limit", type=int, default=40, help="pages to read (about)")
    parser.add_argument("--workers", default="2,1", help="runs, by OCR_WORKERS (2,1)")
    args = parser.parse_args()
    if not (args.scans / "manifest.csv").exists():
        raise SystemExit(f"no corpus at {args.scans}")
    setup_django(None)
    from declassified.ingest.ocr_jobs import enqueue_ocr
    from declassified.ingest.ocr_pages import engine_name

    manifest = chosen_manifest(args.scans, args.limit, Path(tempfile.mkdtemp()))
    documents_for(manifest, args.scans)
    job_id = render(manifest)
    print(f"engine: {engine_name()}")
    for number, workers in enumerate(int(w) for w in args.workers.split(",")):
        if number:  # the same pages again, read anew
            job_id = enqueue_ocr(everything=True, force=True).pk
        pages, seconds = read(job_id, workers)
        load = os.getloadavg()[0]
        print(f"ocr pages_per_s={pages / seconds:.2f} pages={pages} workers={workers}   "
              f"(load {load:.1f}, {seconds:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
