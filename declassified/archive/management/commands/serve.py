import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the archive with gunicorn (production server; static files by WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
        parser.add_argument("--port", type=int, default=settings.PORT, help="port (PORT or 8000)")
        parser.add_argument("--workers", type=int, default=2, help="worker processes (2)")

    def handle(self, *args, host, port, workers, **options):
        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port} is not a TCP port (1–65535).")
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        self.stdout.write(f"Declassified on http://{host}:{port}/  (Ctrl-C stops)")
        sys.stdout.flush()
        os.execv(sys.executable, [
            sys.executable, "-m", "gunicorn", "declassified.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--access-logfile", "-", "--timeout", "120",
        ])
