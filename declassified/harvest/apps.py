from django.apps import AppConfig


class HarvestConfig(AppConfig):
    name = "declassified.harvest"
    label = "harvest"
    verbose_name = "Harvesting: OAI-PMH, feeds, sitemaps and bulk data"
