from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "declassified.ingest"
    label = "ingest"
    verbose_name = "Imports"
