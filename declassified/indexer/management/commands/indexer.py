import signal
import threading

from django.core.management.base import BaseCommand

from declassified import search


class Command(BaseCommand):
    help = "Apply pending search index changes continuously, in the foreground (Ctrl-C stops)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="apply what is waiting now, then exit"
        )

    def handle(self, *args, once: bool = False, **options):
        if once:
            applied = search.apply_pending()
            self.stdout.write(f"Applied {applied:,} index tasks.")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        self.stdout.write("Indexing changes as they are written (Ctrl-C stops)…")
        try:
            search.run_indexer(
                stop, wait=True,
                on_apply=lambda n: self.stdout.write(f"applied {n:,} index tasks"),
            )
        except KeyboardInterrupt:
            pass
        self.stdout.write("Indexer stopped.")
