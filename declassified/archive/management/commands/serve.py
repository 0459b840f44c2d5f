"""`declassified serve`: the production web server (declassified/server.py)."""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Serve the archive: waitress in several processes (slow clients cost a socket, not a "
        "worker); static files by WhiteNoise; stale bulk data regenerated and queued jobs (pages, "
        "OCR) run in the background."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
        parser.add_argument("--port", type=int, default=settings.PORT, help="port (PORT or 8000)")
        parser.add_argument("--processes", "--workers", type=int, default=settings.SERVER_PROCESSES,
                            help="server processes (SERVER_PROCESSES or 2)")
        parser.add_argument("--threads", type=int, default=settings.SERVER_THREADS,
                            help="application threads per process (SERVER_THREADS or 2)")
        parser.add_argument("--no-dumps", action="store_true",
                            help="do not regenerate stale bulk data dumps after starting")
        parser.add_argument("--no-worker", action="store_true",
                            help="do not start a `declassified worker` running queued jobs "
                                 "(page rendering, OCR) in the background")

    def handle(self, *args, host, port, processes, threads, no_dumps, no_worker, **options):
        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port} is not a TCP port (1–65535).")
        if processes < 1 or threads < 1:
            raise CommandError("--processes and --threads must be at least 1.")
        self.stdout.write(f"Declassified on http://{host}:{port}/  (Ctrl-C stops)")
        sys.stdout.flush()
        os.execv(sys.executable, [
            sys.executable, "-m", "declassified.server", "--host", host, "--port", str(port),
            "--processes", str(processes), "--threads", str(threads),
            "--connection-limit", str(settings.SERVER_CONNECTION_LIMIT),
            "--channel-timeout", str(settings.SERVER_CHANNEL_TIMEOUT),
            *(["--no-dumps"] if no_dumps else []), *(["--no-worker"] if no_worker else []),
        ])
