from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "declassified.web"
    label = "web"
    verbose_name = "Public site"
