"""Shared read queries of the public pages and the JSON API.

Every function here is bounded: it returns a lazy queryset, a fixed number of rows, or
says in its docstring how many queries it costs. Visibility always comes from
`declassified.archive.access`; nothing here decides who may see what on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from declassified.archive import access
from declassified.archive.access import Viewer
from declassified.archive.editions import number_key
from declassified.archive.models import (
    Attachment,
    Collection,
    Document,
    Page,
    PageText,
    Person,
    Place,
    Repository,
    Subject,
    Text,
)

# Chronological order: earliest possible day first, undated documents last, then record ID
# so documents of the same day keep a stable order across pages.
DATE_ORDER = (F("date_earliest").asc(nulls_last=True), F("id").asc())
REVERSE_DATE_ORDER = (F("date_earliest").desc(nulls_first=True), F("id").desc())

# The columns a document listing (collection page, entity page, JSON list) needs.
LISTING_FIELDS = ("id", "slug", "title", "date", "display_date", "summary", "status",
                  "date_earliest", "number", "participants")

# Postgres' integer column; larger IDs cannot exist, and asking for them would be an error.
MAX_ID = 2**31 - 1

# The entities documents are tagged with that have a page listing their documents.
TagEntity = Person | Place | Subject | Repository


class DocumentCount(TypedDict):
    """What collections_with_counts() adds to each collection."""

    document_count: int  # its published documents


class VisibleRelated(TypedDict):
    """What full_documents() adds to each document."""

    visible_related: list[Document]  # its related documents the reader may see


if TYPE_CHECKING:  # django-stubs' own type (a test dependency): the model plus these attributes
    from django_stubs_ext import WithAnnotations

    CountedCollection = WithAnnotations[Collection, DocumentCount]
    FullDocument = WithAnnotations[Document, VisibleRelated]


def document_listing(documents: QuerySet[Document], *, editions: bool = True) -> QuerySet[Document]:
    """Only the columns a listing shows, in chronological order; with `editions`, each
    document's editions (`document.editions`, for the label "FRUS 1964–68, vol. XXX, no.
    100" of the list) in one more query."""
    listing = documents.only(*LISTING_FIELDS).order_by(*DATE_ORDER)
    if not editions:
        return listing
    return listing.prefetch_related(Prefetch(
        "collections", to_attr="editions", queryset=Collection.objects.filter(is_edition=True)
        .only("id", "title", "series_title", "volume_number", "volume_title")
        .order_by("title", "id")))


def collection_documents_in_date_order(collection: Collection, user: Viewer, *,
                                       editions: bool = True) -> QuerySet[Document]:
    """The collection's documents this user may see, oldest first, undated last (lazy);
    `editions` as in document_listing."""
    return document_listing(
        access.visible_documents(user).filter(collectionmembership__collection=collection),
        editions=editions,
    )


def entity_documents_in_date_order(
    entity: TagEntity, user: Viewer
) -> QuerySet[Document]:
    """Documents tagged with the entity (a person as author, mentioned or contributor), distinct.

    Membership is tested with IN-subqueries rather than joins, so a person named in all three
    roles still yields each document once without DISTINCT.
    """
    visible = access.visible_documents(user)
    if isinstance(entity, Person):
        links = [
            Document.authors.through.objects.filter(person=entity),
            Document.people.through.objects.filter(person=entity),
            Document.contributors.through.objects.filter(person=entity),
        ]
        condition = Q()
        for link in links:
            condition |= Q(pk__in=link.values("document_id"))
        return document_listing(visible.filter(condition))
    if isinstance(entity, Repository):
        return document_listing(visible.filter(repository=entity))
    if isinstance(entity, Place):
        return document_listing(visible.filter(places=entity))
    return document_listing(visible.filter(subjects=entity))


def counted(collections: QuerySet[Collection]) -> QuerySet[CountedCollection]:
    """The collections, each annotated with `document_count` of published documents."""
    return collections.annotate(
        document_count=Count(
            "collectionmembership",
            filter=Q(collectionmembership__document__status=Document.PUBLISHED),
        )
    )


def collections_with_counts() -> QuerySet[CountedCollection]:
    """All collections, each annotated with `document_count` of published documents (one query)."""
    return counted(Collection.objects.all()).order_by("title", "id")


def featured_collections(limit: int = 8) -> list[CountedCollection]:
    """Featured collections with their published-document counts (one query)."""
    return list(collections_with_counts().filter(featured=True)[:limit])


def recently_added_documents(limit: int = 10) -> list[Document]:
    """The newest published documents by date added (one query)."""
    return list(
        access.public_documents().only(*LISTING_FIELDS, "created_at")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class ArchiveCounts:
    documents: int
    collections: int


def archive_counts() -> ArchiveCounts:
    """How many published documents and collections there are (two queries)."""
    return ArchiveCounts(
        documents=access.public_documents().count(), collections=Collection.objects.count()
    )


def collection_for_page(pk: int) -> Collection | None:
    """A collection with its parent, related collections and children loaded (three queries).
    Related collections carry `document_count` (published documents): one without any is
    named, not linked, since its page would be empty."""
    if not 0 < pk <= MAX_ID:
        return None
    return (
        Collection.objects.select_related("parent")
        .prefetch_related(
            Prefetch("related", queryset=counted(Collection.objects.all()).order_by("title", "id")),
            Prefetch("children", queryset=Collection.objects.order_by("position", "title", "id")),
        )
        .filter(pk=pk)
        .first()
    )


def full_documents(documents: QuerySet[Document], user: Viewer, *,
                   editions: bool = False) -> QuerySet[FullDocument]:
    """Documents with everything a full record shows, loaded together: the one definition
    shared by the document page, the API's document JSON and its harvest list.

    The query costs eleven more for the prefetches, however many documents it returns
    (twelve with `editions`: the related documents' editions, which the page's list shows
    and the JSON does not). Related documents are limited to those `user` may see.
    """
    return documents.select_related("repository", "place_of_origin").prefetch_related(
        "languages", "authors", "people", "contributors", "places", "subjects",
        Prefetch("collections", queryset=Collection.objects.order_by("title", "id")),
        Prefetch("texts", queryset=Text.objects.select_related("language")),
        Prefetch("attachments", queryset=Attachment.objects.all()),
        # has_reading: whether OCR has read the page (the Original tab's "searchable PDF").
        Prefetch("pages", queryset=Page.objects.order_by("position", "id").annotate(
            has_reading=Exists(PageText.objects.filter(page=OuterRef("pk"))))),
        Prefetch("related", to_attr="visible_related", queryset=document_listing(
            access.visible_documents(user), editions=editions)),
    )


def document_for_page(pk: int, user: Viewer, *, editions: bool = False) -> FullDocument | None:
    """A document this user may see, with everything its page shows (twelve queries; one
    more with `editions`, as in full_documents).

    Returns None when the document does not exist or is hidden from this user: callers
    answer both with the same 404.
    """
    if not 0 < pk <= MAX_ID:
        return None
    return full_documents(access.visible_documents(user), user,
                          editions=editions).filter(pk=pk).first()


def visible_document(pk: int, user: Viewer) -> Document | None:
    """The bare document row if this user may see it (one query)."""
    if not 0 < pk <= MAX_ID:
        return None
    return access.visible_documents(user).filter(pk=pk).first()


@dataclass(frozen=True)
class Neighbours:
    previous: Document | None
    next: Document | None


def neighbours_in_collection(document: Document, collection: Collection, user: Viewer) -> Neighbours:
    """The documents just before and after this one in the collection's date order (two queries).

    The order is (undated last, date_earliest, id), so "before" and "after" compare that
    tuple; an undated document comes after every dated one.
    """
    members = access.visible_documents(user).filter(
        collectionmembership__collection=collection
    ).only("id", "slug", "title", "display_date")
    day, pk = document.date_earliest, document.pk
    if day is None:
        before = Q(date_earliest__isnull=False) | Q(date_earliest__isnull=True, id__lt=pk)
        after = Q(date_earliest__isnull=True, id__gt=pk)
    else:
        before = Q(date_earliest__lt=day) | Q(date_earliest=day, id__lt=pk)
        after = (Q(date_earliest__gt=day) | Q(date_earliest=day, id__gt=pk)
                 | Q(date_earliest__isnull=True))
    return Neighbours(
        previous=members.filter(before).order_by(*REVERSE_DATE_ORDER).first(),
        next=members.filter(after).order_by(*DATE_ORDER).first(),
    )


def neighbours_by_number(document: Document, edition: Collection, user: Viewer) -> Neighbours:
    """The documents numbered just before and after this one in the edition ('72' < '72A' <
    '73'), among those this user may see (two queries: the edition's numbers, then the two
    documents). A volume holds at most a few thousand numbers, read as (number, id) pairs."""
    members = access.visible_documents(user).filter(
        collectionmembership__collection=edition).exclude(number="")
    ordered = [pk for _, pk in sorted(members.values_list("number", "id"),
                                      key=lambda row: (number_key(row[0]), row[1]))]
    if document.pk not in ordered:
        return Neighbours(previous=None, next=None)
    at = ordered.index(document.pk)
    before = ordered[at - 1] if at > 0 else None
    after = ordered[at + 1] if at + 1 < len(ordered) else None
    found = members.filter(pk__in=[pk for pk in (before, after) if pk]).only(
        "id", "slug", "title", "display_date", "number").in_bulk()
    return Neighbours(previous=found.get(before), next=found.get(after))


def document_by_source_id(source_id: str, user: Viewer) -> Document | None:
    """The document this user may see with that source identifier, if any (one query)."""
    if "\x00" in source_id:
        return None  # no identifier holds a NUL byte, and PostgreSQL refuses to compare one
    return access.visible_documents(user).filter(source_id=source_id).first()
