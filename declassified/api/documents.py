"""The documents list for harvesting: every document the reader may see, full records,
cursor-paginated by record ID, optionally narrowed to one collection or tag.

`GET /api/v1/documents?source_id=…` stays the page twin's look-up (declassified.api.records).
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, JsonResponse

from declassified.api import records
from declassified.api.http import json_error, json_response
from declassified.api.pagination import BadPageRequest, cursor_page, page_json, page_request
from declassified.archive import access, queries
from declassified.archive.models import Document

# ?name=<id> filters of the list, and the document rows each one keeps.
LIST_FILTERS = ("collection", "person", "place", "subject", "repository")


def filter_condition(name: str, pk: int) -> Q:
    """Documents in the collection, or tagged with the entity (a person in any role).

    IN-subqueries rather than joins, so a person named in several roles yields each
    document once, without DISTINCT.
    """
    if name == "collection":
        return Q(pk__in=Document.collections.through.objects.filter(collection_id=pk)
                 .values("document_id"))
    if name == "repository":
        return Q(repository_id=pk)
    if name == "person":
        condition = Q()
        for role in (Document.authors, Document.people, Document.contributors):
            condition |= Q(pk__in=role.through.objects.filter(person_id=pk)
                           .values("document_id"))
        return condition
    if name == "place":
        return Q(pk__in=Document.places.through.objects.filter(place_id=pk).values("document_id"))
    if name == "subject":
        return Q(pk__in=Document.subjects.through.objects.filter(subject_id=pk)
                 .values("document_id"))
    raise ValueError(f"No list filter is called {name!r}.")


def list_filters(request: HttpRequest) -> Q:
    """The filters of the query string, ANDed; raises BadPageRequest for a bad ID."""
    condition = Q()
    for name in LIST_FILTERS:
        values = request.GET.getlist(name)
        if not values:
            continue
        value = values[-1].strip()
        if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= queries.MAX_ID:
            raise BadPageRequest(f"{name} takes a record ID, a whole number (got {value[:30]!r}).")
        condition &= filter_condition(name, int(value))
    return condition


def document_harvest(request: HttpRequest) -> JsonResponse:
    """Full records of the documents this reader may see, by record ID, a page at a time."""
    try:
        page_params = page_request(request)
        condition = list_filters(request)
    except BadPageRequest as error:
        return json_error(str(error), 400)
    rows = queries.full_documents(
        access.visible_documents(request.user).filter(condition), request.user
    )
    page = cursor_page(request, rows, page_params)
    return json_response(
        page_json(page, [records.document_fields(request, d) for d in page.rows])
    )


def document_list(request: HttpRequest) -> JsonResponse:
    """`?source_id=` looks one document up (the page twin); otherwise the harvest list."""
    if "source_id" in request.GET:
        return records.document_list(request)
    return document_harvest(request)
