"""`declassified backup DEST`: the whole site, consistent while it runs (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declassified.backup.database import DatabaseBackupError
from declassified.backup.manifest import BadBackup
from declassified.backup.site import make_backup


class Command(BaseCommand):
    help = (
        "Back up the database, uploaded files, secret key and settings into a new folder "
        "(consistent while the site runs).\n"
        "`declassified restore` puts it back on an empty machine; docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="a new (or empty) folder to write the backup into")
        parser.add_argument("--with-index", action="store_true",
                            help="also copy the search index (otherwise restore rebuilds it)")

    def handle(self, *args, destination, with_index, **options):
        try:
            manifest = make_backup(Path(destination), with_index=with_index,
                                   say=self.stderr.write)
        except (BadBackup, DatabaseBackupError, OSError) as error:
            raise CommandError(str(error)) from None
        total = sum(entry["bytes"] for entry in manifest["files"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {destination}: {manifest['database']['vendor']} database, "
            f"{manifest['media_files']:,} uploaded file(s), "
            f"{'with' if manifest['search_index'] else 'without'} the search index; "
            f"{len(manifest['files']):,} files, {total:,} bytes, SHA-256 in manifest.json."))
