"""`declassified load-samples`: the sample collection in samples/, what was never loaded."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declassified.ingest.samples import SAMPLES_DIR, SampleError, load_samples
from declassified.ingest.tabular import InvalidImport


class Command(BaseCommand):
    help = (
        "Load the sample collection (samples/): create the sample collections and documents "
        "never loaded on this database before; never change an existing one (an editor's "
        "withdrawal, edit, cleared source_id or deletion stays). Running it again changes "
        "nothing."
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
