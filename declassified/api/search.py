"""GET /api/v1/search: the search page's results as JSON (same parameters, same access)."""

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
             "snippet_page": hit.snippet_page}
            for hit in result.hits
        ],
        "facets": {
            **{name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
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
