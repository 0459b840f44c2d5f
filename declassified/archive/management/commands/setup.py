"""`declassified setup`: what `make run` does before serving, in one process."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

# By name: the commands live in other apps, and each start of Python and Django costs about a
# second that a restart would wait for (docs/performance.md, "Restart").
STEPS: tuple[tuple[str, dict[str, object]], ...] = (
    ("migrate", {"interactive": False}), ("setup_groups", {}), ("load_samples", {}),
)


class Command(BaseCommand):
    help = (
        "Prepare the database to serve: migrate, setup-groups, load-samples (each does only "
        "what is missing, in time that does not grow with the archive)."
    )

    def handle(self, *args, **options) -> None:
        verbosity = options.get("verbosity", 1)
        for name, step_options in STEPS:
            call_command(name, verbosity=verbosity, stdout=self.stdout, stderr=self.stderr,
                         **step_options)
