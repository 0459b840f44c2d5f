"""`declassified attach FILE... --document ID [--foreground]`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declassified.ingest.attach import AttachProblems, attach_files, check_files
from declassified.ingest.management.commands._page_job import run_and_follow
from declassified.ingest.page_jobs import enqueue_page_rendering


class Command(BaseCommand):
    help = (
        "Attach original files (PDF, TIFF, JPEG, PNG) to a document, in the order given, then "
        "render their pages and read them by OCR (see docs/originals.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--document", type=int, required=True, metavar="ID",
                            help="Record ID of the document.")
        parser.add_argument("--foreground", action="store_true",
                            help="Render (and read) in this process instead of a worker thread.")
        parser.add_argument("--no-ocr", action="store_true",
                            help="Do not wait for the pages to be read by OCR: the OCR job "
                                 "stays queued for `declassified worker` or the server.")

    def handle(self, *args, files, document, foreground, no_ocr, **options):
        try:
            checked = check_files([Path(f) for f in files], document_id=document)
        except AttachProblems as error:
            raise CommandError("nothing was attached.\n" + "\n".join(error.problems)) from None
        result = attach_files(checked, acting_user=None, via="attach")
        self.stdout.write(f"{len(result.attached)} file(s) attached to document {document} "
                          f"({result.new_pages} page(s)), {len(result.skipped)} already attached.")
        if not result.to_render:
            self.stdout.write("Every file already has its pages; nothing to render.")
            return
        job = enqueue_page_rendering(result.to_render)
        run_and_follow(job, self.stdout, foreground=foreground,
                       verbosity=options.get("verbosity", 1), ocr=not no_ocr)
