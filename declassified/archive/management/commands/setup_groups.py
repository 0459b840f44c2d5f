from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from declassified.archive.roles import CONTRIBUTOR, EDITOR, ensure_groups


class Command(BaseCommand):
    help = "Create or update the Editor and Contributor groups of the back office (idempotent)."

    def handle(self, *args, **options):
        try:
            groups = ensure_groups()
        except DatabaseError as error:
            raise CommandError(
                f"The database is not ready ({error}); run `declassified migrate` first."
            ) from None
        editor, contributor = groups[EDITOR], groups[CONTRIBUTOR]
        self.stdout.write(
            f"Groups ready: {EDITOR} ({editor.permissions.count()} permissions: create, edit, "
            f"publish, withdraw, delete), {CONTRIBUTOR} ({contributor.permissions.count()} "
            "permissions: drafts only)."
        )
