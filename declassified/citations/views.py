"""Citation downloads (BibTeX, RIS, CSL-JSON) and the citation API.

Same access rules as the document page: a draft or withdrawn document is a 404 for anyone
who may not edit documents, and an unknown ID is the same 404. The citation API lives under
/api/, so it answers (and fails) exactly like the rest of the API, through
declassified.api.http.
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from declassified.api.http import json_error, json_get, json_response
from declassified.archive import access
from declassified.archive.models import Document
from declassified.archive.queries import MAX_ID
from declassified.citations import render
from declassified.citations.bibtex import document_bibtex
from declassified.citations.csl import CSL_MEDIA_TYPE
from declassified.citations.record import citable
from declassified.citations.ris import document_ris

DEFAULT_STYLE = "chicago"


def citable_document(pk: int, user: access.Viewer) -> Document | None:
    """The document with what its citations read (six queries), or None if hidden/unknown.

    Not archive.queries.full_documents: a citation reads six of a document's relations
    (texts for their translators), and loading the others (files, pages…) would cost
    queries for nothing.
    """
    if not 0 < pk <= MAX_ID:
        return None
    document = (
        Document.objects.select_related("repository", "place_of_origin")
        .prefetch_related("authors", "collections", "subjects", "languages", "texts")
        .filter(pk=pk)
        .first()
    )
    if document is None or not access.can_view_document(user, document):
        return None
    return document


def _document_or_404(request: HttpRequest, pk: int) -> Document:
    document = citable_document(pk, request.user)
    if document is None:
        raise Http404("No such document.")
    return document


def _download(body: str, media_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def bibtex(request: HttpRequest, pk: int) -> HttpResponse:
    record = citable(_document_or_404(request, pk), request)
    return _download(document_bibtex(record.csl, record.document), "application/x-bibtex",
                     f"declassified-{pk}.bib")


@require_safe
def ris(request: HttpRequest, pk: int) -> HttpResponse:
    record = citable(_document_or_404(request, pk), request)
    return _download(document_ris(record.csl, record.document, page_url=record.url),
                     "application/x-research-info-systems", f"declassified-{pk}.ris")


@require_safe
def csl_json(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSL-JSON file: an array holding the document's one item.

    A file to save, not an API answer, so not declassified.api.http's JSON: it has the CSL
    media type, a file name, a top-level array (what reference managers import) and is
    indented for people who open it. Like the API's, its characters are sent as written.
    """
    record = citable(_document_or_404(request, pk), request)
    body = json.dumps([record.csl], ensure_ascii=False, indent=2)
    return _download(body, CSL_MEDIA_TYPE, f"declassified-{pk}.json")


@json_get
def citation_api(request: HttpRequest, pk: int) -> JsonResponse:
    """GET /api/v1/documents/<id>/citation?style=chicago|mla|apa → {html, text, note…}."""
    style = request.GET.get("style", DEFAULT_STYLE)
    if style not in render.STYLES:
        return json_error(
            f"Unknown citation style {style!r}; use one of: {', '.join(render.STYLES)}.", 400)
    document = citable_document(pk, request.user)
    if document is None:
        return json_error("No such document.", 404)
    record = citable(document, request)
    rendered = render.render_citation(record.csl, style)
    note = {"html": rendered.note_html, "text": rendered.note_text} if rendered.note_html else None
    return json_response({
        "document": document.pk,
        "style": rendered.style,
        "label": rendered.label,
        "csl_style": rendered.csl_style,
        "html": rendered.html,
        "text": rendered.text,
        "note": note,
        "csl_json": request.build_absolute_uri(reverse("citations:csl-json", args=[pk])),
    })
