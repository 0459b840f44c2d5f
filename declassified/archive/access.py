"""Every decision about who may see what.

The public sees published documents only, on every surface (pages, search, API, feeds,
exports). Staff with archive permissions may see drafts and withdrawn documents.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from declassified.archive.models import Document

# Who is reading: `request.user` (a signed-in user or the anonymous visitor), or None for a
# program that reads as the public does (the feeds).
Viewer = User | AnonymousUser | None


def signed_in(user: Viewer) -> User | None:
    """The user an action records for `request.user`: None for the anonymous visitor (the
    views that write let no anonymous visitor in; the type says who may be here)."""
    return user if isinstance(user, User) else None


def can_see_unpublished(user: Viewer) -> bool:
    """Staff who may edit documents also preview drafts and withdrawn ones."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("archive.view_document")
    )


def public_documents() -> QuerySet[Document]:
    return Document.objects.filter(status=Document.PUBLISHED)


def visible_documents(user: Viewer) -> QuerySet[Document]:
    """Documents this user may read: all for editors, published ones for everyone else."""
    if can_see_unpublished(user):
        return Document.objects.all()
    return public_documents()


def can_view_document(user: Viewer, document: Document) -> bool:
    return document.status == Document.PUBLISHED or can_see_unpublished(user)


def visible_statuses(user: Viewer, requested: str = Document.PUBLISHED) -> tuple[str, ...]:
    """The document statuses a search by `user` covers (the search facade asks): the public
    sees published only, whatever it asks for; staff who may see unpublished documents
    choose one status, or "all"."""
    if requested == Document.PUBLISHED or not can_see_unpublished(user):
        return (Document.PUBLISHED,)
    if requested == "all":
        return (Document.PUBLISHED, Document.DRAFT, Document.WITHDRAWN)
    return (requested,)


def harvestable_documents() -> QuerySet[Document]:
    """Documents OAI-PMH reports: published ones in full, withdrawn ones only as deleted
    records (identifier, datestamp and sets, no metadata). Drafts never appear at all."""
    return Document.objects.filter(status__in=[Document.PUBLISHED, Document.WITHDRAWN])


def is_withdrawn_tombstone(document: Document) -> bool:
    """True when a harvestable document may only be shown as a deleted record."""
    return document.status != Document.PUBLISHED
