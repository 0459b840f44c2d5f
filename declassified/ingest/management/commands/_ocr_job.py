"""Run an OCR job and follow it, for `ocr`, `attach` and `attach-scans` (like `_page_job`)."""

from __future__ import annotations

import time

from django.core.management.base import CommandError, OutputWrapper

from declassified.ingest import jobs
from declassified.ingest.models import ImportJob


def run_and_follow_ocr(job: ImportJob, stdout: OutputWrapper, *, foreground: bool = False,
                       verbosity: int = 1) -> ImportJob:
    """Run the OCR job (here, or in a worker thread), printing a line per document read and
    then the report's totals; raises CommandError naming every page that failed."""
    shown = _DocumentLines(stdout, verbosity)
    started = time.monotonic()
    try:
        job = jobs.run_or_follow(job, shown.update, foreground=foreground)
    except KeyboardInterrupt:
        raise CommandError(f"Interrupted. Pages read so far are kept; `declassified worker` "
                           f"resumes OCR job #{job.pk}.") from None
    seconds = time.monotonic() - started
    totals = (job.report or {}).get("totals", {})
    read = totals.get("read", 0)
    rate = read / seconds if seconds > 0 else 0.0
    stdout.write(f"OCR job #{job.pk}: {read} page(s) read, {totals.get('skipped', 0)} already "
                 f"read, {totals.get('failed', 0)} failed, in {totals.get('documents', 0)} "
                 f"document(s); {seconds:.1f} s ({rate:.2f} pages/s).")
    if job.state == ImportJob.FAILED:
        raise CommandError(f"OCR job #{job.pk} failed:\n{job.error}")
    return job


class _DocumentLines:
    """A line per document finished: `[12/40 pages] #7 Title: 4 read, 1 failed, confidence
    91.3` and the reason of each page that failed."""

    def __init__(self, stdout: OutputWrapper, verbosity: int) -> None:
        self.stdout, self.verbosity = stdout, verbosity
        self.shown: set[int] = set()

    def update(self, job: ImportJob) -> None:
        progress = job.progress or {}
        for entry in (job.report or {}).get("documents", []):
            if entry.get("status") != "done" or entry["document"] in self.shown:
                continue
            self.shown.add(entry["document"])
            if self.verbosity < 1:
                continue
            confidence = entry.get("mean_confidence")
            self.stdout.write(
                f"  [{progress.get('pages_done', 0)}/{progress.get('pages_total', 0)} pages] "
                f"#{entry['document']} {entry.get('title', '')[:60]}: {entry['read']} read, "
                f"{entry['skipped']} already read, {entry['failed']} failed, mean confidence "
                f"{'—' if confidence is None else f'{confidence:.1f}'}")
            for error in entry.get("errors", []):
                self.stdout.write(f"      FAILED {error}")
