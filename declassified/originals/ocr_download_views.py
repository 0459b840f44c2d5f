"""OCR downloads: /document/<pk>/page/<n>.alto.xml, /document/<pk>/page/<n>.txt and
/document/<pk>/ocr.txt (every page's text).

Visibility is archive.access's (through queries.visible_document): a document the reader may
not see is the same 404 as one that does not exist. A page of a visible document that OCR has
not read is a plain-text 404 saying so. Answers are shown inline (a harvester reads them; a
reader sees the text in the browser).
"""

from __future__ import annotations

import hashlib

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotFound,
)
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from declassified.archive.models import Document, Page, PageText
from declassified.originals.download_views import visible_document_or_404, with_cache_headers
from declassified.originals.ocr_files import (
    ALTO_CONTENT_TYPE,
    TEXT_CONTENT_TYPE,
    document_text,
    page_alto,
    page_text,
)

MAX_PAGE_NUMBER = 100_000
NO_OCR = "OCR has not read this page (yet)."


def _not_read(message: str = NO_OCR) -> HttpResponseNotFound:
    return HttpResponseNotFound(message + "\n", content_type=TEXT_CONTENT_TYPE)


def _read_page(document: Document, number: int) -> tuple[Page, PageText | None]:
    """The document's `number`th page (1-based, in its order) with its OCR (None: not
    read), or a 404 when it has no such page (one query)."""
    page = None
    if 0 < number <= MAX_PAGE_NUMBER:
        page = (document.pages.order_by("position", "id").select_related("reading")
                [number - 1:number].first())
    if page is None:
        raise Http404("This document has no such page.")
    return page, getattr(page, "reading", None)


def _answer(request: HttpRequest, document: Document, body: bytes, content_type: str,
            ) -> HttpResponseBase:
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    return with_cache_headers(response, document)


@require_safe
def page_as_alto(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    """The page's OCR as ALTO v4 XML: every word with its box in the page's pixels (which
    are the IIIF canvas's) and its confidence (two queries)."""
    document = visible_document_or_404(request, pk)
    page, reading = _read_page(document, number)
    if reading is None:
        return _not_read()
    image = request.build_absolute_uri(f"/iiif/3/{page.pk}/full/max/0/default.jpg")
    return _answer(request, document, page_alto(page, reading, number=number, image_url=image),
                   ALTO_CONTENT_TYPE)


@require_safe
def page_as_text(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    """The page's text (an editor's correction where there is one), UTF-8 (two queries)."""
    document = visible_document_or_404(request, pk)
    _page, reading = _read_page(document, number)
    if reading is None:
        return _not_read()
    return _answer(request, document, page_text(reading).encode(), TEXT_CONTENT_TYPE)


@require_safe
def document_as_text(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Every page's text in order, each after a "--- p. N ---" line; a 404 when OCR has read
    none of its pages (two queries; the word boxes are not loaded)."""
    document = visible_document_or_404(request, pk)
    pages = list(document.pages.order_by("position", "id").select_related("reading")
                 .defer("reading__words"))
    readings = [getattr(page, "reading", None) for page in pages]
    if not pages:
        raise Http404("This document has no page images.")
    if not any(readings):
        return _not_read("OCR has read none of this document's pages (yet).")
    text = document_text(enumerate(readings, start=1))
    return _answer(request, document, text.encode(), TEXT_CONTENT_TYPE)
