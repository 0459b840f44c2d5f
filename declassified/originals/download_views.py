"""Download routes: /document/<pk>/pages.pdf and /document/<pk>/page/<number>.jpg?width=N.

A document the reader may not see, or one without pages, is a 404; a bad width a 400 that
says what to send. Files are attachments named after the document's slug.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import BadRequest
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from declassified.archive import queries
from declassified.archive.models import Document, Page
from declassified.originals.downloads import (
    JPEG_DEFAULT_WIDTH,
    JPEG_MAX_WIDTH,
    JPEG_MIN_WIDTH,
    JPEG_QUALITY,
    document_pdf,
    page_jpeg,
    pdf_name,
)

PUBLIC_CACHE = "public, max-age=300"  # pages may be reordered or replaced: not for long
PRIVATE_CACHE = "private, no-store"


def visible_document_or_404(request: HttpRequest, pk: int) -> Document:
    document = queries.visible_document(pk, request.user)
    if document is None:
        raise Http404("No such document.")
    return document


def with_cache_headers(response: HttpResponseBase, document: Document) -> HttpResponseBase:
    public = document.status == Document.PUBLISHED
    response["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    return response


@require_safe
def whole_document_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Every page of the document in order, as one PDF (made on the first request; two
    queries), searchable when its pages have OCR (see downloads.document_pdf)."""
    document = visible_document_or_404(request, pk)
    # With each page's reading, less its words and texts: enough to name the PDF.
    pages = list(document.pages.order_by("position", "id").select_related("reading").defer(
        "reading__words", "reading__machine_text", "reading__corrected_text"))
    if not pages:
        raise Http404("This document has no page images.")
    etag = f'"{Path(pdf_name(pages)).stem[:32]}"'
    response: HttpResponseBase | None = get_conditional_response(request, etag=etag)
    if response is None:  # (a 304 costs no PDF)
        response = FileResponse(open(document_pdf(pages), "rb"), as_attachment=True,
                                filename=f"{document.slug}.pdf", content_type="application/pdf")
    response["ETag"] = etag
    return with_cache_headers(response, document)


def _width(request: HttpRequest) -> int:
    raw = request.GET.get("width", "")
    if raw == "":
        return JPEG_DEFAULT_WIDTH
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 5) or not (
            JPEG_MIN_WIDTH <= int(raw) <= JPEG_MAX_WIDTH):
        raise BadRequest(f"width must be a whole number of pixels from {JPEG_MIN_WIDTH} to "
                         f"{JPEG_MAX_WIDTH}, e.g. ?width=1200.")
    return int(raw)


@require_safe
def page_as_jpeg(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    """The document's `number`th page (1 = first, in the document's order) as a JPEG of the
    chosen width (two queries)."""
    width = _width(request)
    document = visible_document_or_404(request, pk)
    page = _nth_page(document, number)
    if page is None:
        raise Http404("This document has no such page.")
    etag = '"' + hashlib.sha256(
        f"{page.master_sha256}:{min(width, page.width)}:{JPEG_QUALITY}".encode()
    ).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(page_jpeg(page, width=width), content_type="image/jpeg")
        # Never None: only a false as_attachment with no filename gives none.
        response["Content-Disposition"] = content_disposition_header(
            True, f"{document.slug}-page-{number}.jpg") or ""
    response["ETag"] = etag
    return with_cache_headers(response, document)


def _nth_page(document: Document, number: int) -> Page | None:
    """The document's page at 1-based place `number` in its order, or None (one query)."""
    if not 0 < number <= 100_000:
        return None
    return document.pages.order_by("position", "id")[number - 1:number].first()
