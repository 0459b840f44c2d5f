"""The back office's groups: Editor (create, edit, publish) and Contributor (drafts only).

The groups are (re)created after every `migrate` (see `ensure_groups_after_migrate`, wired in
ArchiveConfig.ready) and by `declassified setup-groups`; both are idempotent.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS

from declassified.archive.access import Viewer
from declassified.archive.models import Document

ARCHIVE_MODELS = [
    "document", "text", "attachment", "collection", "collectionmembership", "person", "place",
    "subject", "repository", "language",
]
EDITOR = "Editor"
CONTRIBUTOR = "Contributor"


def ensure_groups(using: str = DEFAULT_DB_ALIAS) -> dict[str, Group]:
    """Create or update both groups with their permissions (idempotent).

    Editor: every archive permission, the edit history and publish_document.
    Contributor: add/change/view of archive models; no delete, no publish_document (so the
    admin limits them to drafts, see declassified.archive.admin).
    """
    editor, _ = Group.objects.using(using).get_or_create(name=EDITOR)
    contributor, _ = Group.objects.using(using).get_or_create(name=CONTRIBUTOR)
    archive = Permission.objects.using(using).filter(content_type__app_label="archive")
    editor.permissions.set(
        list(archive.filter(content_type__model__in=ARCHIVE_MODELS + ["revision"]))
        + list(archive.filter(codename="publish_document"))
    )
    contributor.permissions.set(
        archive.filter(content_type__model__in=ARCHIVE_MODELS)
        .exclude(codename__startswith="delete_")
        .exclude(codename="publish_document")  # a custom permission of the document model
    )
    return {EDITOR: editor, CONTRIBUTOR: contributor}


def ensure_groups_after_migrate(sender, *, using: str = DEFAULT_DB_ALIAS, verbosity: int = 1,
                                apps=None, **kwargs) -> None:
    """post_migrate receiver for the archive app: create its permissions, then the groups.

    post_migrate reaches the archive app before auth's own receiver has created the archive's
    permissions (receivers run in INSTALLED_APPS order, and archive comes first), so this
    creates them itself; Django's create_permissions is idempotent.
    """
    apps = apps or global_apps
    try:
        apps.get_model("auth", "Permission")
        apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return  # auth or contenttypes is being migrated away; nothing to attach groups to
    create_permissions(sender, verbosity=0, using=using, apps=apps)
    groups = ensure_groups(using)
    if verbosity >= 2 and kwargs.get("stdout"):
        kwargs["stdout"].write(f"  Groups ready: {', '.join(groups)}\n")


def can_publish(user: Viewer) -> bool:
    return bool(user and user.is_active and user.has_perm("archive.publish_document"))


def may_edit_document(user: Viewer, document: Document | None) -> bool:
    """Contributors change drafts only; whoever may publish may change any document.

    `document` None means a new document, which every user with add permission may start.
    """
    return document is None or document.status == Document.DRAFT or can_publish(user)
