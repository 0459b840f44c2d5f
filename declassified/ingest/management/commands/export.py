"""`declassified export`: documents in the format `declassified import` reads."""

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declassified.archive.models import Collection
from declassified.ingest.tabular_export import FORMATS, export_documents


class Command(BaseCommand):
    help = (
        "Export documents as CSV or JSON Lines that `declassified import` reads back.\n"
        "Public documents only unless --include-unpublished."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=FORMATS, default="csv", help="csv (default) or jsonl"
        )
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument(
            "--include-unpublished", action="store_true",
            help="also drafts and withdrawn documents, with a status column",
        )
        parser.add_argument("--collection", type=int, metavar="ID", help="only this collection")

    def handle(self, *args, format, output, include_unpublished, collection, **options):
        chosen = None
        if collection is not None:
            chosen = Collection.objects.filter(pk=collection).first()
            if chosen is None:
                raise CommandError(f"--collection {collection}: no collection has this ID.")
        options = {"fmt": format, "include_unpublished": include_unpublished, "collection": chosen}
        if output:
            result = self.export_to_file(Path(output), options)
        else:
            try:
                result = export_documents(StdoutSink(self.stdout), **options)
            except BrokenPipeError:
                # The reader went away (`export | head`): stop quietly, as Unix tools do.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise SystemExit(1) from None
        for warning in result.warnings():
            self.stderr.write(warning)
        if output:
            self.stderr.write(f"{result.documents} documents written to {output}")

    def export_to_file(self, path: Path, options: dict):
        """Write next to the target and rename, so a failed export never leaves half a file."""
        directory = path.resolve().parent
        if not directory.is_dir():
            raise CommandError(f"--output {path}: the folder {directory} does not exist.")
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".export-", suffix=path.suffix)
        try:
            os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the export from others
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                result = export_documents(out, **options)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        return result


class StdoutSink:
    """A file-like writer over the command's stdout that adds no line endings of its own."""

    def __init__(self, stdout) -> None:
        self.stdout = stdout

    def write(self, text: str) -> None:
        self.stdout.write(text, ending="")

