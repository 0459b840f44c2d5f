"""`declassified import FILE`: documents from CSV or JSON Lines, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declassified.ingest.tabular import (
    FORMATS,
    ImportFileError,
    InvalidImport,
    import_rows,
    parse_file,
)


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

    def handle(self, *args, file, format, dry_run, **options):
        path = Path(file)
        try:
            rows = parse_file(path, format)
            result = import_rows(rows, acting_user=None, via=f"import {path.name}"[:100],
                                 dry_run=dry_run)
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
