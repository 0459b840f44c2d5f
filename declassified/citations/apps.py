from django.apps import AppConfig


class CitationsConfig(AppConfig):
    name = "declassified.citations"
    label = "citations"
    verbose_name = "Citations"
