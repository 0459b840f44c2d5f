"""The search page and its help page.

Every state is a plain GET URL (shareable, works without JavaScript): facet values and
histogram bars are links that add a filter, chips are links that remove one. The facade
does the searching; this module only turns its result into links and labels.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.views.decorators.http import require_safe

from declassified import search
from declassified.archive.access import can_see_unpublished
from declassified.web.page_images import first_page_thumbnails
from declassified.web.views.viewer import viewer_url

SORT_LABELS = {"relevance": "Relevance", "date": "Date (oldest first)",
               "-date": "Date (newest first)", "title": "Title (A–Z)"}
STATUS_LABELS = {"published": "Published only", "all": "All statuses", "draft": "Drafts",
                 "withdrawn": "Withdrawn"}


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    try:
        result = search.search(request.GET, request.user)
    except search.InvalidSearch as error:
        context = {"error": str(error), "query": request.GET.get("q", "")[:1000]}
        return render(request, "web/search.html", context, status=400)
    return render(request, "web/search.html", page_context(request, result))


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
    })


def page_context(request: HttpRequest, result: search.SearchResult) -> dict:
    params = result.params
    base = params.query_items(page=False)
    base_query = urlencode(base)  # encoded once for the hundred or so links that add to it
    facets = [
        {"name": name, "title": search.FACET_TITLES[name],
         "values": [_facet_link(base, base_query, name, value) for value in values]}
        for name, values in result.facets.items() if values
    ]
    thumbnails = first_page_thumbnails(hit.id for hit in result.hits)
    return {
        "result": result,
        "hits": [(hit, thumbnails.get(hit.id), _page_link(hit)) for hit in result.hits],
        "params": params,
        "query": params.q,
        "chips": _chips(base, result),
        "facets": facets,
        "histogram": _histogram(base, result),
        "sorts": [{"value": value, "label": label, "selected": value == params.sort}
                  for value, label in SORT_LABELS.items()],
        "hidden_filters": [(k, v) for k, v in base if k not in ("date_from", "date_to",
                                                               "date_match", "status")],
        "hidden_for_sort": [(k, v) for k, v in base if k != "sort"],
        "pagination": _pagination(params, result),
        "suggestions": [{"q": one.q, "url": _url([("q", one.q), *((k, v) for k, v in base if k != "q")])}
                        for one in result.suggestions],
        "staff_statuses": STATUS_LABELS if can_see_unpublished(request.user) else None,
        "first_number": (params.page - 1) * params.page_size + 1,
        "last_number": (params.page - 1) * params.page_size + len(result.hits),
        "clear_filters_url": _url([(k, v) for k, v in base if k in ("q", "sort", "status")]),
        "spellings_url": _spellings_url(params),
        "canonical": request.build_absolute_uri(_url(params.query_items())),
    }


def _page_link(hit: search.Hit) -> str | None:
    """For a snippet read on a scan: the viewer at that page, with the words boxed."""
    if hit.snippet_source != "ocr" or hit.snippet_page is None:
        return None
    return viewer_url(hit.id, hit.snippet_page, hit.snippet_words)


def _url(items: list[tuple[str, str]]) -> str:
    return _with_query(urlencode(items))


def _with_query(query: str) -> str:
    path = _search_path(get_script_prefix())
    return f"{path}?{query}" if query else path


@functools.lru_cache(maxsize=8)
def _search_path(script_prefix: str) -> str:
    """The search page's path (reversed once per script prefix, not once per link)."""
    return reverse("web:search")


def _facet_link(base: list[tuple[str, str]], base_query: str, name: str,
                value: search.FacetValue) -> dict:
    pair = (name, value.value)
    if value.selected:
        url = _url([item for item in base if item != pair])
    else:
        url = _with_query("&".join(filter(None, [base_query, urlencode([pair])])))
    return {"label": value.label, "count": value.count, "selected": value.selected,
            "url": url}


def _spellings_url(params: search.SearchParams) -> str:
    """The same search with other spellings of names (literal off) or without (on)."""
    items = [(k, v) for k, v in params.query_items(page=False) if k != "literal"]
    return _url(items if params.literal else [*items, ("literal", "1")])


def _chips(base: list[tuple[str, str]], result: search.SearchResult) -> list[dict]:
    """Removable chips for every active filter, each linking to the search without it."""
    labels = {
        (name, value.value): value.label
        for name, values in result.facets.items() for value in values if value.selected
    }
    chips = []
    for name, value in base:
        if name in search.FILTERS:
            label = labels.get((name, value), value)
            title = search.FACET_TITLES[name]
        elif name in ("date_from", "date_to"):
            label, title = value, "From" if name == "date_from" else "To"
        else:
            continue
        remaining = [item for item in base if item != (name, value)]
        chips.append({"title": title, "label": label, "url": _url(remaining)})
    return chips


def _histogram(base: list[tuple[str, str]], result: search.SearchResult) -> dict:
    largest = max((bucket.count for bucket in result.date_buckets), default=0)
    without_dates = [item for item in base if item[0] not in ("date_from", "date_to")]
    bars = [
        {"label": bucket.label, "count": bucket.count,
         # At least 1 (of 100): a bucket with a document keeps a visible bar.
         "percent": max(1, round(100 * bucket.count / largest)) if bucket.count else 0,
         "url": _url([*without_dates, ("date_from", bucket.value), ("date_to", bucket.value)])}
        for bucket in result.date_buckets
    ]
    return {"level": result.date_level, "bars": bars}


def _pagination(params: search.SearchParams, result: search.SearchResult) -> dict:
    items = params.query_items(page=False)
    last = min(result.pages, search.MAX_RESULT_WINDOW // params.page_size)

    def page_url(number: int) -> str:
        return _url([*items, ("page", str(number))] if number > 1 else items)

    return {
        "previous": page_url(params.page - 1) if params.page > 1 else None,
        "next": page_url(params.page + 1) if params.page < last else None,
        "number": params.page,
        "pages": result.pages,
    }
