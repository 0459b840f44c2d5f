"""`declassified restore SRC`: a `declassified backup` folder onto an empty machine."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declassified.backup.database import DatabaseBackupError
from declassified.backup.manifest import BadBackup
from declassified.backup.site import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a `declassified backup` folder: checksums verified, then the database, uploaded "
        "files and secret key; the search index copied or rebuilt.\n"
        "Refuses a database that already holds an archive unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the folder `declassified backup` wrote")
        parser.add_argument("--force", action="store_true",
                            help="replace the content of a database that already holds an archive")

    def handle(self, *args, source, force, **options):
        try:
            report = restore_backup(Path(source), force=force,
                                    say=self.stderr.write)
        except (BadBackup, DatabaseBackupError, OSError) as error:
            raise CommandError(str(error)) from None
        for note in report.notes:
            self.stderr.write(f"Note: {note}")
        self.stdout.write(self.style.SUCCESS(
            f"Restored from {source}; search index {report.index}. "
            "`declassified check-index` confirms the index matches."))
