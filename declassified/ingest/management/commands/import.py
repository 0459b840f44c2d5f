"""`declassified import FILE`: documents from CSV or JSON Lines, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declassified.ingest import jobs
from declassified.ingest.models import ImportJob
from declassified.ingest.tabular import FORMATS, ImportFileError, InvalidImport
from declassified.ingest.tabular_stream import import_file


class Command(BaseCommand):
    help = (
        "Import documents from CSV or JSON Lines, all or nothing (see docs/import-format.md).\n"
        "Every row is checked first; if any has a problem, nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv (header row) or .jsonl file")
        parser.add_argument(
            "--format", choices=FORMATS, help="csv or jsonl (default: from the file name)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and say what would change"
        )
        parser.add_argument(
            "--queue-pages", action="store_true",
            help="leave the pages of attached files to `declassified worker` (or the back "
                 "office's worker) instead of rendering them before returning",
        )

    def handle(self, *args, file, format, dry_run, queue_pages=False, **options):
        path = Path(file)
        try:
            # Checked whole, then written in batches: memory stays bounded at any size.
            result = import_file(path, format, acting_user=None,
                                 via=f"import {path.name}"[:100], dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        except InvalidImport as error:
            count = len(error.problems)
            raise CommandError(
                f"{path.name}: {count} problem{'s' if count != 1 else ''}; nothing was imported.\n"
                + "\n".join(str(problem) for problem in error.problems)
            ) from None
        prefix = "dry run, nothing written: " if dry_run else ""
        self.stdout.write(f"{prefix}{result}")
        if result.pages_job is not None and not queue_pages:
            self.render_pages(result.pages_job)

    def render_pages(self, job_id: int) -> None:
        """Run the import's pages job here; a file that fails is reported (the documents
        and files stay imported; the job can be run again from the back office)."""
        self.stdout.write(f"Rendering the pages of the attached files (pages job #{job_id})…")
        jobs.run_worker(only_job=job_id)
        job = ImportJob.objects.get(pk=job_id)
        files = (job.report or {}).get("files", [])
        pages = sum(entry.get("pages", 0) for entry in files)
        self.stdout.write(f"Pages job #{job_id} {job.state}: {pages} page(s) rendered.")
        if job.state != ImportJob.DONE:
            raise CommandError(f"some files could not be rendered:\n{job.error}")
