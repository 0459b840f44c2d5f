"""Run a pages job and follow it, then the OCR job it queued, for `attach` and `attach-scans`
(like `import-frus`)."""

from __future__ import annotations

import time

from django.core.management.base import CommandError, OutputWrapper

from declassified.ingest import jobs
from declassified.ingest.management.commands._ocr_job import run_and_follow_ocr
from declassified.ingest.models import ImportJob


def run_and_follow(job: ImportJob, stdout: OutputWrapper, *, foreground: bool,
                   verbosity: int = 1, ocr: bool = True) -> ImportJob:
    """Run the job (here, or in a worker thread), printing a line per rendered file, then (with
    `ocr`) the OCR job it queued for the pages rendered; raises CommandError naming every file
    or page that failed. Without `ocr` the OCR job stays queued for `declassified worker`."""
    shown = _Lines(stdout, verbosity)
    started = time.monotonic()
    try:
        job = jobs.run_or_follow(job, shown.update, foreground=foreground)
    except KeyboardInterrupt:
        raise CommandError(f"Interrupted. Pages rendered so far are kept; `declassified worker` "
                           f"resumes job #{job.pk}.") from None
    seconds = time.monotonic() - started
    files = (job.report or {}).get("files", [])
    pages = sum(f.get("pages", 0) for f in files if f.get("status") == "rendered")
    rate = pages / seconds if seconds > 0 else 0.0
    stdout.write(f"Pages job #{job.pk}: {pages} page(s) from "
                 f"{sum(f.get('status') == 'rendered' for f in files)} file(s) "
                 f"in {seconds:.1f} s ({rate:.1f} pages/s).")
    ocr_job_id = (job.report or {}).get("ocr_job")
    ocr_job = ImportJob.objects.filter(pk=ocr_job_id).first() if ocr_job_id else None
    if ocr_job is not None and not ocr:
        stdout.write(f"OCR job #{ocr_job.pk} is queued: `declassified worker` (or the server's "
                     "worker) reads the pages.")
    elif ocr_job is not None:
        try:
            run_and_follow_ocr(ocr_job, stdout, foreground=foreground, verbosity=verbosity)
        except CommandError as error:
            if job.state != ImportJob.FAILED:
                raise
            raise CommandError(f"job #{job.pk} failed:\n{job.error}\n{error}") from None
    if job.state == ImportJob.FAILED:
        raise CommandError(f"job #{job.pk} failed:\n{job.error}")
    return job


class _Lines:
    """A line per finished file: `[3/100] name.pdf: 5 pages` (or its error)."""

    def __init__(self, stdout: OutputWrapper, verbosity: int) -> None:
        self.stdout = stdout
        self.verbosity = verbosity
        self.shown = 0

    def update(self, job: ImportJob) -> None:
        files = (job.report or {}).get("files", [])
        total = (job.progress or {}).get("files_total", len(files))
        for number, entry in enumerate(files[self.shown:], start=self.shown + 1):
            if self.verbosity > 0:
                outcome = (f"{entry.get('pages', 0)} page(s)" if entry.get("status") == "rendered"
                           else f"FAILED {entry.get('error', '')}")
                self.stdout.write(f"  [{number}/{total}] {entry.get('file', '')}: {outcome}")
        self.shown = max(self.shown, len(files))
