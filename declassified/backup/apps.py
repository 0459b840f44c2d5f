from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "declassified.backup"
    label = "backup"
    verbose_name = "Backup, restore and archival export"
