from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "declassified.archive"
    label = "archive"
    verbose_name = "Archive"
