"""`declassified attach-scans MANIFEST.csv [--foreground]`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declassified.ingest.attach import AttachProblems, attach_files, check_manifest
from declassified.ingest.management.commands._page_job import run_and_follow
from declassified.ingest.page_jobs import enqueue_page_rendering


class Command(BaseCommand):
    help = (
        "Attach scanned originals listed in a manifest.csv to their documents, then render "
        "their pages (see docs/originals.md).\n"
        "Columns: `file` (relative to the CSV) and `source_id` or `document` (record ID); "
        "every row is checked first, and if any is wrong nothing is attached."
    )

    def add_arguments(self, parser):
        parser.add_argument("manifest", metavar="MANIFEST.csv")
        parser.add_argument("--foreground", action="store_true",
                            help="Render (and read) in this process instead of a worker thread.")
        parser.add_argument("--no-ocr", action="store_true",
                            help="Do not wait for the pages to be read by OCR: the OCR job "
                                 "stays queued for `declassified worker` or the server.")

    def handle(self, *args, manifest, foreground, no_ocr, **options):
        path = Path(manifest)
        try:
            files = check_manifest(path)
        except AttachProblems as error:
            count = len(error.problems)
            raise CommandError(f"{path.name}: {count} problem{'s' if count != 1 else ''}; "
                               "nothing was attached.\n" + "\n".join(error.problems)) from None
        result = attach_files(files, acting_user=None, via=f"attach-scans {path.name}"[:100])
        documents = len({f.document_id for f in files})
        self.stdout.write(
            f"{len(files)} file(s) for {documents} document(s): {len(result.attached)} attached "
            f"({result.new_pages} page(s)), {len(result.skipped)} already attached.")
        if not result.to_render:
            self.stdout.write("Every file already has its pages; nothing to render.")
            return
        job = enqueue_page_rendering(result.to_render)
        run_and_follow(job, self.stdout, foreground=foreground,
                       verbosity=options.get("verbosity", 1), ocr=not no_ocr)
