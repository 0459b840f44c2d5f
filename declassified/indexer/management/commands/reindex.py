from django.core.management.base import BaseCommand

from declassified import search


class Command(BaseCommand):
    help = "Rebuild the search index from the database beside the live one, then swap it in."

    def handle(self, *args, **options):
        def progress(count: int) -> None:
            self.stdout.write(f"  {count:,} documents indexed…")

        self.stdout.write("Building a new search index (searches use the old one meanwhile)…")
        report = search.rebuild_index(progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"Indexed {report.documents:,} documents; the new index is live ({report.path})."
        ))
