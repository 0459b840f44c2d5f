from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "declassified.api"
    label = "api"
    verbose_name = "JSON API"
