from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "declassified.archive"
    label = "archive"
    verbose_name = "Archive"

    def ready(self) -> None:
        # Imported here, not at the top: roles needs the models, which Django loads only after
        # it has imported every app's module (this one included).
        from django.core import checks
        from django.db.models.signals import post_migrate

        from declassified.archive.roles import ensure_groups_after_migrate
        from declassified.object_storage import check_store

        checks.register(check_store)  # DECLASSIFIED_STORAGE_URL: the bucket answers

        # Every `migrate` leaves the Editor and Contributor groups in place and up to date.
        post_migrate.connect(
            ensure_groups_after_migrate, sender=self, dispatch_uid="archive.ensure_groups"
        )
