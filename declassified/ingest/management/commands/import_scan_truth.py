"""`declassified import-scan-truth PATH...`: the scan corpus's invented documents."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declassified.ingest.scan_truth import truth_files, truth_rows
from declassified.ingest.tabular import ImportFileError, InvalidImport, import_rows


class Command(BaseCommand):
    help = (
        "Create documents from scan-corpus truth files (*.truth.json), with their transcript "
        "and English translation, all or nothing (see docs/originals.md).\n"
        "A folder means its invented documents (the Russian and Chinese memoranda); run again, "
        "it changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH",
                            help="*.truth.json files, or a folder of them")
        parser.add_argument("--dry-run", action="store_true",
                            help="check the files and say what would change")

    def handle(self, *args, paths, dry_run, **options):
        try:
            files = truth_files([Path(p) for p in paths])
            rows = truth_rows(files)
            result = import_rows(rows, acting_user=None, via="import-scan-truth",
                                 dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        except InvalidImport as error:
            raise CommandError(f"{len(error.problems)} problem(s); nothing was imported.\n"
                               + "\n".join(str(p) for p in error.problems)) from None
        prefix = "dry run, nothing written: " if dry_run else ""
        self.stdout.write(f"{prefix}{len(files)} truth file(s): {result}")
