"""URLs of page images (the IIIF Image API of declassified.originals) and the small first-page
images listed documents show. Only the routes' URLs are used here, never their code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from declassified.archive.models import Document, Page

THUMBNAIL_HEIGHT = 120  # the viewer's thumbnail strip asks for the same size: one cached image

D = TypeVar("D", bound=Document)


@dataclass(frozen=True)
class Thumbnail:
    src: str
    width: int
    height: int


def iiif_base(page_id: int) -> str:
    """/iiif/3/<page_id>, the page's IIIF image identifier (its info.json is under it)."""
    return reverse("originals:image-base", args=[page_id])


def thumbnail(page: Page) -> Thumbnail:
    """A page THUMBNAIL_HEIGHT pixels high (never upscaled: IIIF refuses that without "^")."""
    height = min(THUMBNAIL_HEIGHT, page.height)
    width = max(1, round(page.width * height / page.height))
    return Thumbnail(f"{iiif_base(page.pk)}/full/,{height}/0/default.jpg", width, height)


def first_page_thumbnails(document_ids: Iterable[int]) -> dict[int, Thumbnail]:
    """{document ID: its first page's thumbnail} for those that have pages (one query).

    The caller has already decided the documents are visible; a page is as visible as its
    document.
    """
    ids = list(document_ids)
    if not ids:
        return {}
    first = (Page.objects.filter(document_id=OuterRef("document_id"))
             .order_by("position", "id").values("pk")[:1])
    pages = (Page.objects.filter(document_id__in=ids, pk=Subquery(first))
             .only("id", "document_id", "width", "height"))
    return {page.document_id: thumbnail(page) for page in pages}


def with_thumbnails(documents: Iterable[D]) -> list[D]:
    """The documents, each with `.thumbnail` (a Thumbnail or None) set (one query)."""
    listed = list(documents)
    thumbnails = first_page_thumbnails(document.pk for document in listed)
    for document in listed:
        document.thumbnail = thumbnails.get(document.pk)  # type: ignore[attr-defined]
    return listed
