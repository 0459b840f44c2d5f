"""GET /api/v1/search: the search page's results as JSON (same parameters, same access);
GET /api/v1/search/facet-values: every value of one filter under such a search, paged."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, JsonResponse

from declassified import search
from declassified.api.http import json_error, json_response


def search_api(request: HttpRequest) -> JsonResponse:
    """GET only (the route says so: declassified.api.urls)."""
    try:
        result = search.search(request.GET, request.user)
    except search.InvalidSearch as error:
        return json_error(str(error), 400)
    return json_response(result_json(request, result))


def facet_values_api(request: HttpRequest) -> JsonResponse:
    """`facet` names the filter; `page` and `q_value` page and narrow its values; the other
    parameters are the search's (its own `page` is not read here). GET only."""
    data = request.GET.copy()
    name = data.pop("facet", [""])[-1]
    page_text = data.pop("page", ["1"])[-1].strip() or "1"
    contains = data.pop("q_value", [""])[-1]
    if not (page_text.isascii() and page_text.isdigit()) or int(page_text) < 1:
        return json_error("page must be a whole number of at least 1.", 400)
    page = int(page_text)
    try:
        values = search.facet_values(data, request.user, name, page=page, contains=contains)
    except search.InvalidSearch as error:
        return json_error(str(error), 400)
    if page > values.pages:  # a bad parameter: the API answers 404 for record IDs only
        return json_error(f"page is past the last page of values ({values.pages}).", 400)
    return json_response({
        "facet": values.name, "total": values.total, "page": values.page,
        "page_size": values.page_size, "pages": values.pages, "q_value": values.contains,
        "values": [value_json(v) for v in values.values],
    })


def value_json(value: search.FacetValue) -> dict:
    """A facet value; "selected" and "excluded" only when true (older clients see the same
    three keys as before)."""
    found = {"value": value.value, "label": value.label, "count": value.count}
    if value.selected:
        found["selected"] = True
    if value.excluded:
        found["excluded"] = True
    return found


def result_json(request: HttpRequest, result: search.SearchResult) -> dict:
    """The documented shape: total, page, page_size, results, facets (plus notices,
    suggestions and the other spellings of names searched too)."""
    date_facet = [
        {"value": bucket.value, "label": bucket.label, "count": bucket.count}
        for bucket in result.date_buckets
    ]
    return {
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
        "results": [
            {"id": hit.id, "url": request.build_absolute_uri(hit.url), "title": hit.title,
             "date": hit.date, "display_date": hit.display_date, "summary": hit.summary,
             "snippet": str(hit.snippet), "snippet_source": hit.snippet_source,
             "snippet_page": hit.snippet_page, "edition": hit.edition}
            for hit in result.hits
        ],
        "facets": {
            **{name: [{"value": v.value, "label": v.label, "count": v.count,
                       **({"excluded": True} if v.excluded else {})} for v in values]
               for name, values in result.facets.items()},
            "date": date_facet,
        },
        "notices": result.notices,
        "expanded": result.expanded,
        "suggestions": [
            {"q": one.q, "total": one.total,
             "url": request.build_absolute_uri(_with_q(request, result.params, one.q))}
            for one in result.suggestions
        ],
    }


def _with_q(request: HttpRequest, params: search.SearchParams, q: str) -> str:
    """This API's URL for the same search (filters, sort, page size) with another query."""
    items = [("q", q), *((k, v) for k, v in params.query_items(page=False) if k != "q")]
    return f"{request.path}?{urlencode(items)}"
