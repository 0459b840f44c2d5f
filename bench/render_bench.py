"""Page rendering through the real job path: scan corpus files of each kind → page masters.

    python bench/render_bench.py [--scans ../shared/corpus/scans] [--limit 40]

For each kind (pdf, tiff, jpeg) it attaches the corpus files of that kind (up to --limit
pages) to documents, queues one pages job and runs it in this process as `declassified
worker` would, against a fresh SQLite database in a temporary data directory. Prints
`pages per_s=<z> kind=<kind> pages=<n> seconds=<s> load=<1-minute load average>`.
Targets (issue 14): ≥ 2 pages/s for image files, ≥ 1 page/s for PDFs.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages_bench import setup_django  # noqa: E402  (a fresh data dir and SQLite database)

SCANS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "scans"
KINDS = {"pdf": ".pdf", "tiff": ".tif", "jpeg": ".jpg"}


def corpus_files(scans: Path, suffix: str, limit: int) -> list[tuple[Path, int]]:
    chosen, pages = [], 0
    with open(scans / "manifest.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["file"].endswith(suffix) and pages < limit:
                chosen.append((scans / row["file"], int(row["pages"])))
                pages += int(row["pages"])
    return chosen


def render_kind(files: list[tuple[Path, int]]) -> tuple[int, float]:
    from django.core.files import File

    from declassified.archive.actions import do_save_attachment, do_save_document
    from declassified.archive.models import Attachment, Document
    from declassified.ingest.jobs import run_worker
    from declassified.ingest.models import ImportJob
    from declassified.ingest.page_jobs import enqueue_page_rendering

    attachments = []
    for path, _ in files:
        document = do_save_document(Document(title=path.name), acting_user=None, via="bench")
        with open(path, "rb") as handle:
            attachments.append(do_save_attachment(
                Attachment(document=document, file=File(handle, name=path.name)),
                acting_user=None, via="bench"))
    job = enqueue_page_rendering(attachments)
    started = time.perf_counter()
    run_worker(only_job=job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    if job.state != ImportJob.DONE:
        raise SystemExit(f"pages job failed: {job.error}")
    return sum(f["pages"] for f in job.report["files"]), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scans", type=Path, default=SCANS)
    parser.add_argument("--limit", type=int, default=40, help="pages of each kind (about)")
    args = parser.parse_args()
    if not (args.scans / "manifest.csv").exists():
        raise SystemExit(f"no scan corpus at {args.scans} (pass --scans)")
    setup_django(None)
    for kind, suffix in KINDS.items():
        pages, seconds = render_kind(corpus_files(args.scans, suffix, args.limit))
        load = os.getloadavg()[0]
        print(f"pages per_s={pages / seconds:.2f} kind={kind} pages={pages} "
              f"seconds={seconds:.1f} load={load:.2f}", flush=True)


if __name__ == "__main__":
    main()
