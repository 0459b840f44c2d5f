"""The documents of one record (a collection, a person or organization, a place, a subject,
an archive) as its page lists them: the search scoped by the record's own filter, with the
search page's filters, sort and an in-page search box.

The record's filter is fixed (`scope`), so a reader's filters of the same kind narrow within
it (a person's documents that also name another person) instead of widening it.
"""

from __future__ import annotations

from dataclasses import replace

from django.http import Http404, HttpRequest

from declassified import search
from declassified.archive import queries
from declassified.archive.access import can_see_unpublished
from declassified.archive.models import Collection, Person, Place, Repository, Subject
from declassified.web.views.listing import listing_context

# The filter each kind of record scopes its list by, and the word its search box uses.
SCOPE_FILTERS = {Collection: "collection", Person: "person", Place: "place",
                 Subject: "subject", Repository: "archive"}
SCOPE_NOUNS = {Collection: "collection", Person: "person", Place: "place",
               Subject: "subject", Repository: "archive"}
RECORD_PAGE_SIZE = 50
RECORDS = {name: model for model, name in SCOPE_FILTERS.items()}


def record_documents(request: HttpRequest, record, path: str) -> dict:
    """The context of a record page's document list (its part of web/includes/
    record_documents.html): the listing, or `listing_error` for bad parameters. Editors see
    every status unless they choose one; the hits' first pages are one query."""
    scope = ((SCOPE_FILTERS[type(record)], str(record.pk)),)
    noun = record.get_kind_display().lower() if isinstance(record, Person) else SCOPE_NOUNS[
        type(record)]
    try:
        params = search.parse_params(request.GET, page_size=RECORD_PAGE_SIZE)
    except search.InvalidSearch as error:
        return {"listing_error": str(error), "scope_noun": noun, "form_action": path}
    if "status" not in request.GET and can_see_unpublished(request.user):
        params = replace(params, status="all")
    result = search.search(params, request.user, scope=scope)
    if params.page > result.pages:
        raise Http404("No such page.")
    return {**listing_context(request, result, path), "scope_noun": noun}


def scope_record(within: str):
    """The record a values page's `within=<filter>:<id>` names, or None (one query)."""
    name, _, raw = within.partition(":")
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= queries.MAX_ID:
        return None
    model = RECORDS.get(name)
    return model._default_manager.filter(pk=int(raw)).first() if model is not None else None
