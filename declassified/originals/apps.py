from django.apps import AppConfig


class OriginalsConfig(AppConfig):
    name = "declassified.originals"
    label = "originals"
    verbose_name = "Originals (page images and IIIF)"
