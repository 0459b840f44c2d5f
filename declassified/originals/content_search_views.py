"""IIIF Content Search routes of a document: Search 2.0 and 1.0, and their autocomplete.

    /iiif/3/document/<id>/search/2?q=…&page=N        AnnotationPage
    /iiif/3/document/<id>/search/1?q=…&page=N        sc:AnnotationList (Mirador speaks 1.0)
    /iiif/3/document/<id>/autocomplete/2?q=…         TermPage
    /iiif/3/document/<id>/autocomplete/1?q=…         search:TermList

Who may see the document comes from archive.access (an unpublished document is the same 404
as a missing one). A missing or empty `q` is a valid empty answer (a client may open the
service before the reader types); a `q` longer than MAX_QUERY_CHARS or a `page` that is not a
page number is a 400 naming the problem. At most HITS_PER_PAGE hits an answer. Parameters
the spec names but we do not implement (date, user) and any others are listed in `ignored`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from declassified.archive import access, queries
from declassified.archive.models import Document
from declassified.originals import content_search
from declassified.originals._http import iiif_error, iiif_json, iiif_read
from declassified.originals.content_search_answers import (
    SEARCH2_CONTEXT,
    Asked,
    search1_answer,
    search2_answer,
    terms1_answer,
    terms2_answer,
)
from declassified.originals.manifests import SEARCH1_CONTEXT, PresentationUrls
from declassified.originals.presentation_views import presentation_urls

HITS_PER_PAGE = 100
MAX_PAGE = 10_000
# Motivations our hits answer to: they are the page's (OCR) text, boxed to highlight it.
MOTIVATIONS = {"highlighting", "painting", "supplementing", "sc:painting"}
SEARCH_PARAMETERS = {"q", "motivation", "page"}
AUTOCOMPLETE_PARAMETERS = {"q", "motivation", "min"}


class BadRequest(Exception):
    pass


def document_status(pk: int, request: HttpRequest) -> str | None:
    """The document's status if the reader may see it, else None (one query)."""
    if not 0 < pk <= queries.MAX_ID:
        return None
    visible = access.visible_documents(request.user).filter(pk=pk)
    return visible.values_list("status", flat=True).first()


def _query(request: HttpRequest) -> str:
    query = content_search.cleaned_query(request.GET.get("q", ""))
    if len(query) > content_search.MAX_QUERY_CHARS:
        raise BadRequest(f"q is {len(query)} characters long; at most "
                         f"{content_search.MAX_QUERY_CHARS} are searched.")
    return query


def _positive(request: HttpRequest, name: str, default: int, most: int) -> int:
    value = request.GET.get(name, "")
    if not value:
        return default
    if not value.isdigit() or not 0 < int(value) <= most:
        raise BadRequest(f"{name} must be a whole number from 1 to {most}, not {value!r}.")
    return int(value)


def _motivation_matches(request: HttpRequest) -> bool:
    wanted = request.GET.get("motivation", "").split()
    return not wanted or bool(MOTIVATIONS.intersection(wanted))


def asked(request: HttpRequest, base: str, known: set[str]) -> Asked:
    """The request's parameters (BadRequest when one is wrong)."""
    motivation = request.GET.get("motivation", "")
    extra = (("motivation", motivation),) if motivation else ()
    return Asked(base=base, query=_query(request),
                 page=_positive(request, "page", 1, MAX_PAGE) if "page" in known else 1,
                 per_page=HITS_PER_PAGE,
                 ignored=tuple(sorted(set(request.GET) - known)), extra=extra)


def _search(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    status = document_status(pk, request)
    if status is None:
        return iiif_error("No document has that ID.", 404)
    urls = presentation_urls(request)
    base = urls.search2(pk) if version == 2 else urls.search1(pk)
    try:
        question = asked(request, base, SEARCH_PARAMETERS)
    except BadRequest as error:
        return iiif_error(str(error), 400)
    found = (content_search.search_document(pk, question.query)
             if _motivation_matches(request) else content_search.Found([]))
    start = (question.page - 1) * HITS_PER_PAGE
    hits = content_search.located_hits(found.hits[start:start + HITS_PER_PAGE])
    build: Callable = search2_answer if version == 2 else search1_answer
    data = build(question, hits, len(found.hits), document_id=pk, urls=urls)
    return iiif_json(request, data, public=status == Document.PUBLISHED,
                     context=SEARCH2_CONTEXT if version == 2 else SEARCH1_CONTEXT)


def _autocomplete(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    status = document_status(pk, request)
    if status is None:
        return iiif_error("No document has that ID.", 404)
    urls: PresentationUrls = presentation_urls(request)
    base = urls.autocomplete2(pk) if version == 2 else urls.autocomplete1(pk)
    try:
        question = asked(request, base, AUTOCOMPLETE_PARAMETERS)
        least = _positive(request, "min", 1, 1_000_000)
    except BadRequest as error:
        return iiif_error(str(error), 400)
    if not question.query:
        return iiif_error("q is required: the first letters of a word to complete.", 400)
    terms = [(term, count) for term, count in content_search.complete_term(pk, question.query)
             if count >= least] if _motivation_matches(request) else []
    if version == 2:
        data = terms2_answer(question, terms, urls.search2(pk))
    else:
        data = terms1_answer(question, terms, urls.search1(pk))
    return iiif_json(request, data, public=status == Document.PUBLISHED,
                     context=SEARCH2_CONTEXT if version == 2 else SEARCH1_CONTEXT)


@iiif_read
def search2(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /iiif/3/document/<pk>/search/2 (two queries once the document's words are cached)."""
    return _search(request, pk, 2)


@iiif_read
def search1(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /iiif/3/document/<pk>/search/1."""
    return _search(request, pk, 1)


@iiif_read
def autocomplete2(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /iiif/3/document/<pk>/autocomplete/2."""
    return _autocomplete(request, pk, 2)


@iiif_read
def autocomplete1(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /iiif/3/document/<pk>/autocomplete/1."""
    return _autocomplete(request, pk, 1)
