"""`declassified export-bag DEST`: every published document as a BagIt bag (docs/backup.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from declassified.harvest.bag import BagError, export_bag


class Command(BaseCommand):
    help = (
        "Export everything public as a BagIt bag (JSON Lines, Dublin Core XML, texts, originals; "
        "SHA-256 manifests) for depositing with another archive.\n"
        "Never drafts or withdrawn documents; docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="a new folder for the bag")
        parser.add_argument("--organization", default=settings.SITE_NAME,
                            help=f"Source-Organization in bag-info.txt (default: {settings.SITE_NAME})")
        parser.add_argument("--base-url", default=settings.SITE_URL,
                            help="prefix of the URLs in the records (default: SITE_URL)")

    def handle(self, *args, destination, organization, base_url, **options):
        if base_url and not base_url.startswith(("http://", "https://")):
            raise CommandError(f"--base-url {base_url!r} must be an absolute http:// or https:// URL.")
        try:
            report = export_bag(Path(destination), base_url=base_url.rstrip("/"),
                                organization=organization, say=self.stderr.write)
        except (BagError, OSError) as error:
            raise CommandError(str(error)) from None
        for name in report.missing_files:
            self.stderr.write(f"Warning: original file {name} is missing from the media folder; left out.")
        self.stdout.write(self.style.SUCCESS(
            f"Bag written to {report.path} and validated: {report.documents:,} documents, "
            f"{report.texts:,} texts, {report.originals:,} original files."))
