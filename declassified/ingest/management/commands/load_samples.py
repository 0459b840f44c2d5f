"""`declassified load-samples`: the sample collection in samples/, idempotently."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declassified.ingest.samples import SAMPLES_DIR, SampleError, load_samples
from declassified.ingest.tabular import InvalidImport


class Command(BaseCommand):
    help = (
        "Load the sample collection (samples/); running it again changes nothing.\n"
        "Collections are matched by title, documents by record ID or source_id."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=str(SAMPLES_DIR), help=f"folder of the samples ({SAMPLES_DIR})"
        )

    def handle(self, *args, dir, **options):
        try:
            result = load_samples(Path(dir))
        except SampleError as error:
            raise CommandError(str(error)) from None
        except InvalidImport as error:
            raise CommandError(f"the samples have problems; nothing was loaded.\n{error}") from None
        self.stdout.write(str(result))
