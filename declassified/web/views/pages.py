"""Home, the collections index, collection pages and collection images."""

from __future__ import annotations

import mimetypes
import unicodedata
from itertools import groupby
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

from declassified.archive import queries
from declassified.web.page_images import with_thumbnails
from declassified.web.views.common import redirect_to_current_slug, slugged_path
from declassified.web.views.record_lists import record_documents

# Only raster images are served from the collection image folder: an uploaded SVG or HTML
# file could carry script, so it is never served from our origin.
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Search box, featured collections, recently added documents with their first pages'
    thumbnails, and counts (five queries)."""
    return render(request, "web/home.html", {
        "featured": queries.featured_collections(),
        "recent": with_thumbnails(queries.recently_added_documents()),
        "counts": queries.archive_counts(),
        "canonical": request.build_absolute_uri(reverse("web:home")),
    })


def index_letter(title: str) -> str:
    """The A–Z jump letter of a title: its first letter without accents, '#' for the rest."""
    first = unicodedata.normalize("NFKD", title.strip()[:1]).upper()[:1]
    return first if "A" <= first <= "Z" else "#"


@require_safe
def collections_index(request: HttpRequest) -> HttpResponse:
    """Top-level collections A–Z with date span and published-document count (one query).

    Sub-collections (e.g. the chapters of an imported volume) are listed on their parent's page.
    """
    collections = sorted(
        queries.collections_with_counts().filter(parent__isnull=True),
        key=lambda c: (index_letter(c.title) == "#", index_letter(c.title), c.title.casefold()),
    )
    groups = [(letter, list(items)) for letter, items in
              groupby(collections, key=lambda c: index_letter(c.title))]
    return render(request, "web/collections_index.html", {
        "groups": groups,
        "letters": [letter for letter, _ in groups],
        "canonical": request.build_absolute_uri(reverse("web:collections")),
    })


@require_safe
def collection_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    """A collection and its documents from the search, scoped to it: filters, sort, search
    within, in date order by default, with their first pages' thumbnails (four queries)."""
    collection = queries.collection_for_page(pk)
    if collection is None:
        raise Http404("No such collection.")
    redirect = redirect_to_current_slug(request, collection, "collection", slug)
    if redirect:
        return redirect
    listing = record_documents(request, collection, slugged_path(collection, "collection"))
    image = collection.image
    return render(request, "web/collection_detail.html", {
        **listing,
        "collection": collection,
        # The document page then pages through this collection.
        "collection_suffix": f"?collection={collection.pk}",
        "has_image": bool(image) and image.storage.exists(image.name),
    }, status=400 if "listing_error" in listing else 200)


@require_safe
def collection_image(request: HttpRequest, name: str) -> FileResponse:
    """A stored file under collections/ (the media folder or the object store), never one
    outside it, and only raster images."""
    try:
        inside = Path(safe_join("/collections", name)).relative_to("/")
    except (SuspiciousFileOperation, ValueError):
        raise Http404("No such image.") from None
    if inside.suffix.lower() not in IMAGE_SUFFIXES:
        raise Http404("No such image.")
    try:
        handle = default_storage.open(str(inside), "rb")
    except (OSError, ValueError, SuspiciousFileOperation):  # not there; a name no file has
        raise Http404("No such image.") from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(inside.name)[0])
    response["Cache-Control"] = "public, max-age=86400"
    return response
