"""The back office's groups: Editor (create, edit, publish) and Contributor (drafts only)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

ARCHIVE_MODELS = [
    "document", "text", "attachment", "collection", "collectionmembership", "person", "place",
    "subject", "repository", "language",
]
EDITOR = "Editor"
CONTRIBUTOR = "Contributor"


def ensure_groups() -> dict[str, Group]:
    """Create or update both groups with their permissions (idempotent)."""
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    contributor, _ = Group.objects.get_or_create(name=CONTRIBUTOR)
    archive = Permission.objects.filter(content_type__app_label="archive")
    editor.permissions.set(
        list(archive.filter(content_type__model__in=ARCHIVE_MODELS + ["documentrevision"]))
        + list(archive.filter(codename="publish_document"))
    )
    contributor.permissions.set(
        archive.filter(content_type__model__in=ARCHIVE_MODELS).exclude(
            codename__startswith="delete_"
        )
    )
    return {EDITOR: editor, CONTRIBUTOR: contributor}


def can_publish(user) -> bool:
    return bool(user and user.is_active and user.has_perm("archive.publish_document"))
