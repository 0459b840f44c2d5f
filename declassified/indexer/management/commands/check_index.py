from django.core.management.base import BaseCommand, CommandError

from declassified import search

SHOWN = 20


class Command(BaseCommand):
    help = "Compare the search index with the database and report any drift."

    def handle(self, *args, **options):
        drift = search.check_index()
        self.stdout.write(
            f"database: {drift.documents_in_database:,} documents; "
            f"index: {drift.documents_in_index:,}; waiting index tasks: {drift.pending_tasks:,}"
        )
        self.stdout.write(
            f"this node has applied the change log through entry {drift.applied_sequence:,} "
            f"of {drift.log_sequence:,}")
        if len(drift.nodes) > 1:
            for name, applied, seen_at in drift.nodes:
                self.stdout.write(f"  node {name}: through {applied:,}, "
                                  f"heard from {seen_at:%Y-%m-%d %H:%M:%S} UTC")
        for label, ids in (
            ("missing from the index", drift.missing),
            ("in the index but not in the database", drift.extra),
            ("indexed in an older version or status", drift.stale),
        ):
            if ids:
                shown = ", ".join(map(str, ids[:SHOWN])) + (" …" if len(ids) > SHOWN else "")
                self.stdout.write(f"{len(ids):,} {label}: {shown}")
        if drift.schema_outdated:
            self.stdout.write("The index was built by an older version of the search schema.")
        if drift.common_terms_outdated:
            self.stdout.write(
                "Advice: the index chose its common terms (for fast phrases) when the archive "
                "was much smaller; `declassified reindex` chooses them again. Results are "
                "the same either way.")
        if not drift.ok:
            raise CommandError("The search index has drifted; run `declassified reindex`.")
        if drift.pending_tasks:
            # Documents with waiting tasks are not drift: the indexer is about to apply them.
            self.stdout.write(self.style.SUCCESS(
                f"The search index matches the database apart from {drift.pending_tasks:,} waiting "
                "task(s), which the indexer applies next (`declassified indexer --once` now)."
            ))
        else:
            self.stdout.write(self.style.SUCCESS("The search index matches the database."))
