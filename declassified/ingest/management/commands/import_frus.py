"""`declassified import-frus PATH... [--bibliography DIR] [--foreground]`"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declassified.ingest import jobs
from declassified.ingest.models import ImportJob

SHOWN_PER_VOLUME = 5


class Command(BaseCommand):
    help = (
        "Import FRUS TEI volumes (.xml or .xml.gz files, or folders of them) as a background "
        "job, showing progress and a report."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH",
                            help="Volume files (.xml, .xml.gz) or folders holding them.")
        parser.add_argument("--bibliography", metavar="DIR",
                            help="Folder of FRUS volume records (<volume id>.xml) that "
                                 "describe the volumes' collections.")
        parser.add_argument("--foreground", action="store_true",
                            help="Run the import in this process instead of a worker.")

    def handle(self, *args, paths: list[str], bibliography: str | None, foreground: bool,
               **options) -> None:
        try:
            files = jobs.find_volume_files(paths)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if bibliography and not Path(bibliography).is_dir():
            raise CommandError(f"--bibliography: no such folder: {bibliography}")
        job = jobs.enqueue_frus_import(
            [str(f) for f in files], bibliography=str(Path(bibliography).resolve())
            if bibliography else None,
        )
        self.stdout.write(f"Import job #{job.pk}: {len(files)} volume file(s).")
        started = time.monotonic()
        with ProgressBar(options.get("verbosity", 1), self.stdout) as bar:
            try:
                job = self._run(job, foreground, bar)
            except KeyboardInterrupt:
                raise CommandError(
                    f"Interrupted. Volumes imported so far are kept; `declassified worker` "
                    f"resumes job #{job.pk}, or run this command again."
                ) from None
        self._report(job, time.monotonic() - started)
        if job.state == ImportJob.FAILED:
            raise CommandError(f"job #{job.pk} failed:\n{job.error}")

    def _run(self, job: ImportJob, foreground: bool, bar: ProgressBar) -> ImportJob:
        if foreground:
            claimed = jobs.claim_job(only_job=job.pk)
            if claimed is None:  # a running `declassified worker` took it first
                return jobs.follow_job(job, bar.update, thread=None)
            return jobs.run_job(claimed, on_progress=bar.update)
        return jobs.follow_job(job, bar.update, thread=jobs.start_worker_thread(job.pk))

    def _report(self, job: ImportJob, seconds: float) -> None:
        report = job.report or {}
        totals = report.get("totals") or jobs.report_totals([])
        rate = totals["documents"] / seconds if seconds > 0 else 0.0
        self.stdout.write(
            f"Imported {totals['volumes']} volume(s): {totals['documents']} documents "
            f"({totals['created']} created, {totals['updated']} updated, "
            f"{totals['unchanged']} unchanged), {totals['undated']} undated, "
            f"{totals['warnings']} warning(s) in {seconds:.1f} s ({rate:.0f} documents/s)."
        )
        for volume in report.get("volumes", []):
            self._report_volume(volume)
        indexed = (job.progress or {}).get("indexed")
        if indexed is not None:
            self.stdout.write(f"Search index updated ({indexed} change(s) applied).")
        elif (job.progress or {}).get("indexing_error"):
            self.stdout.write("The search index was not updated now; the indexer will catch up.")

    def _report_volume(self, volume: dict) -> None:
        if volume.get("status") != "imported":
            self.stdout.write(self.style.ERROR(f"  FAILED {volume.get('error')}"))
            return
        self.stdout.write(
            f"  {volume['volume']}: {volume['documents']} documents ({volume['created']} created, "
            f"{volume['updated']} updated, {volume['unchanged']} unchanged), "
            f"{len(volume['undated'])} undated, {len(volume['warnings'])} warning(s)"
        )
        if volume["undated"]:
            shown = ", ".join(volume["undated"][:SHOWN_PER_VOLUME])
            more = len(volume["undated"]) - SHOWN_PER_VOLUME
            self.stdout.write(f"    undated: {shown}{f' and {more} more' if more > 0 else ''}")
        for warning in volume["warnings"][:SHOWN_PER_VOLUME]:
            self.stdout.write(f"    warning: {warning}")
        if len(volume["warnings"]) > SHOWN_PER_VOLUME:
            self.stdout.write(f"    … {len(volume['warnings']) - SHOWN_PER_VOLUME} more "
                              "warning(s) in the job's report (back office → Import jobs)")


class ProgressBar:
    """A tqdm bar on a terminal (documents, rate, time left; volumes in the description);
    without a terminal, a line per finished volume at verbosity 2 and above."""

    def __init__(self, verbosity: int, stdout) -> None:
        self.verbosity = verbosity
        self.stdout = stdout
        self.bar = None
        self.volumes_done = 0

    def __enter__(self) -> ProgressBar:
        if self.verbosity > 0 and sys.stderr.isatty():
            from tqdm import tqdm

            # a terminal that reports no size (0 columns) would get an empty bar
            width = shutil.get_terminal_size().columns
            self.bar = tqdm(total=0, unit="doc", desc="volumes 0/?", ncols=width)
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()

    def update(self, job: ImportJob) -> None:
        progress = job.progress or {}
        done, total = progress.get("volumes_done", 0), progress.get("volumes_total", 0)
        if self.bar is not None:
            self.bar.total = progress.get("documents_total", 0)
            self.bar.n = min(progress.get("documents_done", 0), self.bar.total or 0)
            phase = progress.get("phase", "")
            suffix = f" ({phase})" if phase in ("counting", "indexing") else ""
            self.bar.set_description(f"volumes {done}/{total}{suffix}", refresh=False)
            self.bar.refresh()
        elif self.verbosity >= 2 and done > self.volumes_done:
            self.stdout.write(f"  {done}/{total} volumes, "
                              f"{progress.get('documents_done', 0)} documents")
        self.volumes_done = done
