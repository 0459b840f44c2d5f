"""`declassified dumps`: regenerate the bulk data files (whole archive and per collection)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from declassified.harvest import dumps


class Command(BaseCommand):
    help = "Regenerate the bulk data dumps (gzip JSON Lines) listed on the Data page."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-stale", action="store_true",
            help="Do nothing when the dumps already match the archive's content, or when "
                 "another process is generating them now (exit 0 in both cases).",
        )
        parser.add_argument(
            "--background", action="store_true",
            help="Start `dumps --if-stale` in a detached low-priority process and return at "
                 "once (its output goes to generation.log in the dumps folder).",
        )
        parser.add_argument(
            "--base-url", default=None, metavar="URL",
            help="Prefix of the URLs inside the files, e.g. https://archive.example.org "
                 "(default: settings.SITE_URL, else site-relative paths).",
        )

    def handle(self, *args, if_stale: bool, background: bool, base_url: str | None,
               **options) -> None:
        if base_url is not None and base_url and not base_url.startswith(("http://", "https://")):
            raise CommandError("--base-url must start with http:// or https://.")
        if background:
            dumps.start_generation_process()
            self.stdout.write(f"Regenerating stale dumps in the background (log: "
                              f"{dumps.dumps_dir() / dumps.GENERATION_LOG}).")
            return
        manifest = dumps.read_manifest()
        if if_stale and not dumps.is_stale(manifest) and not dumps.is_unsafe(manifest):
            self.stdout.write("The dumps are up to date.")
            return
        try:
            manifest = dumps.generate_dumps(base_url=base_url.rstrip("/") if base_url else None)
        except dumps.DumpsBusy as error:
            if if_stale:  # someone alive is already making them: nothing for us to do
                self.stdout.write(f"{error} It will bring them up to date.")
                return
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Cannot write the dumps in {dumps.dumps_dir()}: {error}") from None
        for entry in manifest["dumps"]:
            self.stdout.write(f"{entry['file']}: {entry['documents']} documents, "
                              f"{entry['bytes']} bytes")
        self.stdout.write(f"Wrote {len(manifest['dumps'])} files to {dumps.dumps_dir()}.")
