from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from declassified.archive.database import (
    IMPORTER_LOCK_WAIT_SECONDS,
    is_lock_timeout,
    waiting_up_to,
)
from declassified.archive.variant_backfill import do_add_generated_variants


class Command(BaseCommand):
    help = ("Give people and places stored by an older version the generated spellings of "
            "their names (only adds).\n\nOther romanizations and scripts, as new and renamed "
            "ones get when saved. Entities whose variants an editor changed are left alone.")

    def handle(self, *args, **options):
        try:
            # Like an importer, it waits its turn behind a running server's writes.
            with waiting_up_to(IMPORTER_LOCK_WAIT_SECONDS):
                report = do_add_generated_variants()
        except DatabaseError as error:
            if is_lock_timeout(error):
                raise CommandError(
                    f"Another writer held the database for {IMPORTER_LOCK_WAIT_SECONDS} s; "
                    "nothing was changed. Run the command again later.") from None
            raise CommandError(
                f"The database is not ready ({error}); run `declassified migrate` first."
            ) from None
        self.stdout.write(
            f"Spellings added: {report.spellings} to {report.people} people and organizations "
            f"and {report.places} places; {report.documents} documents to reindex; "
            f"{report.kept_as_edited} left as an editor edited them."
        )
