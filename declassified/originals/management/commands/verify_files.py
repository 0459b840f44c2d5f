"""`declassified verify-files [--quiet]`"""

import time

from django.core.management.base import BaseCommand, CommandError

from declassified.originals.fixity import verify_files


class Command(BaseCommand):
    help = (
        "Check every original file and page master against its recorded SHA-256; report "
        "missing or changed files and exit non-zero when there are any (see docs/originals.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true",
                            help="Print only the problems (and nothing when all is well).")

    def handle(self, *args, quiet, **options):
        started = time.monotonic()
        report = verify_files(on_problem=lambda problem: self.stdout.write(str(problem)))
        seconds = time.monotonic() - started
        summary = (f"Checked {report.originals} original file(s) and {report.masters} page "
                   f"master(s) in {seconds:.1f} s: {len(report.problems)} problem(s).")
        if report.problems:
            raise CommandError(summary)
        if not quiet:
            self.stdout.write(summary)
