"""GET /api/v1/search: the search page's results as JSON (same parameters, same access)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from declassified import search


@require_GET
def search_api(request: HttpRequest) -> JsonResponse:
    try:
        result = search.search(request.GET, request.user)
    except search.InvalidSearch as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(result_json(request, result), json_dumps_params={"ensure_ascii": False})


def result_json(request: HttpRequest, result: search.SearchResult) -> dict:
    """The documented shape: total, page, page_size, results, facets (plus notices)."""
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
             "snippet": str(hit.snippet)}
            for hit in result.hits
        ],
        "facets": {
            **{name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
               for name, values in result.facets.items()},
            "date": date_facet,
        },
        "notices": result.notices,
    }
