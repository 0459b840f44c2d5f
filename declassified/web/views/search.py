"""The search page, the page of every value of one filter, and the help page.

The facade does the searching; web/views/listing.py turns its result into links and labels.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from declassified import search
from declassified.archive.control_chars import strip_control_characters
from declassified.web.views.common import positive_int
from declassified.web.views.listing import (
    SORT_LABELS,
    Links,
    facet_link,
    hidden_fields,
    listing_context,
)
from declassified.web.views.record_lists import SCOPE_FILTERS, scope_record


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    try:
        result = search.search(request.GET, request.user)
    except search.InvalidSearch as error:
        context = {"error": str(error), "query": strip_control_characters(request.GET.get("q", "")[:1000])}
        return render(request, "web/search.html", context, status=400)
    return render(request, "web/search.html", listing_context(request, result,
                                                              reverse("web:search")))


@require_safe
def facet_values_page(request: HttpRequest, name: str) -> HttpResponse:
    """Every value of filter `name` under the search in the query string (the search page's,
    or with `within=<filter>:<id>` a record page's), a page at a time, searchable by
    `q_value`; each value links back to the list with it chosen or excluded (two queries
    with `within`, else none)."""
    if name not in search.FILTERS:
        raise Http404("No such filter.")
    record = scope_record(request.GET["within"]) if request.GET.get("within") else None
    if request.GET.get("within") and record is None:
        raise Http404("No such record.")
    scope = _scope_of(record)
    page = positive_int(request.GET.get("page", "1"))
    contains = request.GET.get("q_value", "").strip()
    data = request.GET.copy()
    for parameter in ("page", "q_value", "within"):
        data.pop(parameter, None)
    try:
        if page is None:
            raise search.InvalidSearch("page must be a whole number of at least 1.")
        params = search.parse_params(data)
        values = search.facet_values(params, request.user, name, page=page, contains=contains,
                                     scope=scope)
    except search.InvalidSearch as error:
        return render(request, "web/search/facet_values.html",
                      {"error": str(error), "title": search.FACET_TITLES[name]}, status=400)
    if page > values.pages:
        raise Http404("No such page of values.")
    return render(request, "web/search/facet_values.html",
                  _values_context(request, params, values, record, scope))


def _scope_of(record) -> tuple[tuple[str, str], ...]:
    return ((SCOPE_FILTERS[type(record)], str(record.pk)),) if record is not None else ()


def _values_context(request: HttpRequest, params: search.SearchParams, values: search.FacetPage,
                    record, scope) -> dict:
    back = record.get_absolute_url() if record is not None else reverse("web:search")
    links = Links(back, tuple(params.query_items(page=False)), scope)
    here = Links(request.path, tuple(
        [*links.base, *[("within", f"{k}:{v}") for k, v in scope]]
        + ([("q_value", values.contains)] if values.contains else [])))
    return {
        "title": search.FACET_TITLES[values.name],
        "values": values,
        "record": record,
        "links": [facet_link(links, values.name, value) for value in values.values],
        "back_url": links.url(links.base),
        "hidden": hidden_fields(here.base, "q_value"),
        "previous": (here.url([*here.base, *([("page", str(values.page - 1))]
                                             if values.page > 2 else [])])
                     if values.page > 1 else None),
        "next": here.url([*here.base, ("page", str(values.page + 1))])
        if values.page < values.pages else None,
        "first_number": (values.page - 1) * values.page_size + 1,
        "last_number": (values.page - 1) * values.page_size + len(values.values),
    }


@require_safe
def search_help(request: HttpRequest) -> HttpResponse:
    return render(request, "web/search_help.html", {
        "filters": [(name, search.FACET_TITLES[name]) for name in search.FILTERS],
        "sorts": SORT_LABELS,
        "page_size": search.PAGE_SIZE,
        "max_page_size": search.MAX_PAGE_SIZE,
        "max_depth": search.MAX_QUERY_DEPTH,
        "max_items": search.MAX_QUERY_ITEMS,
        "few_results": search.FEW_RESULTS,
        "values_page_size": search.FACET_PAGE_SIZE,
    })
