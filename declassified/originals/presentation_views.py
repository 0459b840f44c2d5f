"""IIIF Presentation API 3.0 routes: a document's Manifest, a collection's Collection.

Who may see what comes from archive.access: a document the reader may not see is the same
404 as one that does not exist, and a Collection lists published documents only, whoever
asks (so it is the same for everyone and may be cached publicly).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse

from declassified.archive import access, queries
from declassified.archive.access import Viewer
from declassified.archive.models import Collection, Document, Page, PageText
from declassified.originals._http import iiif_error, iiif_json, iiif_read
from declassified.originals.manifests import (
    CollectionItem,
    PresentationUrls,
    collection_manifest,
    document_manifest,
    with_ocr_links,
)


def manifest_document(pk: int, user: Viewer) -> Document | None:
    """The document with what its manifest shows: repository, languages, authors,
    collections and its pages in order as `ordered_pages`, each with `has_reading` (whether
    OCR has read it) (five queries)."""
    if not 0 < pk <= queries.MAX_ID:
        return None
    return (
        access.visible_documents(user).select_related("repository")
        .prefetch_related(
            "languages", "authors",
            Prefetch("collections", queryset=Collection.objects.order_by("title", "id")),
            Prefetch("pages", queryset=Page.objects.order_by("position", "id").annotate(
                has_reading=Exists(PageText.objects.filter(page=OuterRef("pk")))),
                to_attr="ordered_pages"),
        )
        .filter(pk=pk).first()
    )


def collection_items(collection: Collection) -> QuerySet:
    """(id, title, first page id, width, height) of the collection's published documents
    that have pages, in date order (one query, whatever the number of documents)."""
    first_page = Page.objects.filter(document=OuterRef("pk")).order_by("position", "id")
    return (
        queries.collection_documents_in_date_order(collection, None, editions=False)
        .annotate(first_page_id=Subquery(first_page.values("pk")[:1]),
                  first_width=Subquery(first_page.values("width")[:1]),
                  first_height=Subquery(first_page.values("height")[:1]))
        .filter(first_page_id__isnull=False)
        .values_list("pk", "title", "first_page_id", "first_width", "first_height")
    )


def presentation_urls(request: HttpRequest) -> PresentationUrls:
    return PresentationUrls(root=request.build_absolute_uri("/").removesuffix("/"))


@iiif_read
def manifest(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /iiif/3/document/<pk>/manifest.json (five queries)."""
    document = manifest_document(pk, request.user)
    if document is None:
        return iiif_error("No document has that ID.", 404)
    pages = document.ordered_pages  # type: ignore[attr-defined]  # the prefetch's to_attr
    if not pages:
        return iiif_error(f"Document {pk} has no page images, so it has no IIIF manifest "
                          "(a manifest needs at least one canvas).", 404)
    urls = presentation_urls(request)
    read = [page.has_reading for page in pages]
    data = with_ocr_links(document_manifest(document, pages, urls, searchable=any(read)),
                          document.pk, read, urls)
    return iiif_json(request, data, public=document.status == Document.PUBLISHED)


@iiif_read
def collection(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /iiif/3/collection/<pk>/collection.json (two queries)."""
    found = Collection.objects.filter(pk=pk).first() if 0 < pk <= queries.MAX_ID else None
    if found is None:
        return iiif_error("No collection has that ID.", 404)
    items = [CollectionItem(*row) for row in collection_items(found)]
    return iiif_json(request, collection_manifest(found, items, presentation_urls(request)),
                     public=True)
