"""`declassified ocr (--document ID... | --collection ID... | --all) [--force] [--no-wait]`"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from declassified.archive.models import Collection, Document
from declassified.ingest.management.commands._ocr_job import run_and_follow_ocr
from declassified.ingest.ocr_jobs import enqueue_ocr, selected_pages


class Command(BaseCommand):
    help = (
        "Read the pages of documents by OCR again (Tesseract, in each document's languages): "
        "pages already read by this engine are skipped unless --force; an editor's correction "
        "is kept. Prints progress and a report per document (see docs/ocr.md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--document", type=int, action="append", default=[], metavar="ID",
                            help="Record ID of a document (repeat for several).")
        parser.add_argument("--collection", type=int, action="append", default=[],
                            metavar="ID", help="Every document of this collection (repeatable).")
        parser.add_argument("--all", action="store_true", help="Every page of every document.")
        parser.add_argument("--force", action="store_true",
                            help="Read again pages already read by this engine and recipe.")
        parser.add_argument("--no-wait", action="store_true",
                            help="Queue the job and return: `declassified worker` (or the "
                                 "server's worker) runs it.")
        parser.add_argument("--foreground", action="store_true",
                            help="Run the job in this process instead of a worker thread.")

    def handle(self, *args, document: list[int], collection: list[int], all: bool,
               force: bool, no_wait: bool, foreground: bool, **options) -> None:
        if not (document or collection or all):
            raise CommandError("Say what to read: --document ID, --collection ID or --all.",
                               returncode=2)
        _refuse_unknown("document", document, Document)
        _refuse_unknown("collection", collection, Collection)
        options_given = {"documents": document, "collections": collection, "all": all}
        pages = selected_pages(options_given).count()
        if pages == 0:
            raise CommandError("Nothing to read: the documents selected have no pages (attach "
                               "their scans first: `declassified attach`).", returncode=2)
        job = enqueue_ocr(documents=document, collections=collection, everything=all,
                          force=force)
        self.stdout.write(f"OCR job #{job.pk} queued: {pages} page(s)"
                          f"{', read again even if already read' if force else ''}.")
        if no_wait:
            self.stdout.write("Not waiting: `declassified worker` (or the server's worker) "
                              "runs it; its report is in the back office under Imports.")
            return
        run_and_follow_ocr(job, self.stdout, foreground=foreground,
                           verbosity=options.get("verbosity", 1))


def _refuse_unknown(name: str, ids: list[int], model) -> None:
    known = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    unknown = [str(pk) for pk in dict.fromkeys(ids) if pk not in known]
    if unknown:
        raise CommandError(f"No {name} with ID {', '.join(unknown)}; nothing was queued.",
                           returncode=2)
