"""A list of documents from the search, as links: the search page's and every page that lists
a record's documents (a collection, a person…), each at its own path.

Every state is a plain GET URL (shareable, works without JavaScript): facet values and
histogram bars are links that add a filter, "not" links exclude a value, chips are links that
remove one. A listing page's own filter (`scope`) is never in its links: its path says it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from declassified import search
from declassified.archive.access import can_see_unpublished
from declassified.archive.control_chars import strip_control_characters
from declassified.web.page_images import first_page_thumbnails
from declassified.web.views.viewer import viewer_url

SORT_LABELS = {"relevance": "Relevance", "date": "Date (oldest first)",
               "-date": "Date (newest first)", "title": "Title (A–Z)"}
STATUS_LABELS = {"published": "Published only", "all": "All statuses", "draft": "Drafts",
                 "withdrawn": "Withdrawn"}
NOT = search.EXCLUDE_PREFIX


@dataclass(frozen=True)
class Links:
    """URLs at `path` with the current parameters `base` (without the page number)."""

    path: str
    base: tuple[tuple[str, str], ...]
    scope: tuple[tuple[str, str], ...] = ()  # the page's fixed filter, for the values page

    def url(self, items) -> str:
        query = urlencode(list(items))
        return f"{self.path}?{query}" if query else self.path

    @functools.cached_property
    def _base_query(self) -> str:
        # Encoded once for the two hundred or so links of a page that add to it.
        return urlencode(self.base)

    def without(self, *pairs: tuple[str, str]) -> str:
        return self.url(item for item in self.base if item not in pairs)

    def adding(self, *pairs: tuple[str, str]) -> str:
        """The current URL with `pairs` added, and their opposites (include/exclude) gone."""
        gone = {*pairs, *map(_opposite, pairs)}
        if gone.isdisjoint(self.base):
            query = "&".join(filter(None, [self._base_query, urlencode(pairs)]))
            return f"{self.path}?{query}"
        return self.url([*(item for item in self.base if item not in gone), *pairs])

    def facet_values(self, name: str) -> str:
        """The page of every value of facet `name` under the current search."""
        items = list(self.base)
        items += [("within", f"{key}:{value}") for key, value in self.scope]
        query = urlencode(items)
        path = reverse("web:search-facet", args=[name])
        return f"{path}?{query}" if query else path


def _opposite(pair: tuple[str, str]) -> tuple[str, str]:
    name, value = pair
    return (name[len(NOT):], value) if name.startswith(NOT) else (NOT + name, value)


def links_for(params: search.SearchParams, path: str) -> Links:
    return Links(path, tuple(params.query_items(page=False)), params.scope)


def hidden_fields(base: Iterable[tuple[str, str]], *leave_out: str) -> list[tuple[str, str]]:
    """The parameters a form carries on, as hidden inputs. Control characters are dropped
    from every echoed value (here and in the search box): a NUL in a page is an HTML parse
    error, and the search ignores them anyway, with a notice saying so."""
    return [(k, strip_control_characters(v)) for k, v in base if k not in leave_out]


def listing_context(request: HttpRequest, result: search.SearchResult, path: str) -> dict:
    """What web/search/filters.html and web/search/results.html show (one query: the hits'
    first pages)."""
    params = result.params
    links = links_for(params, path)
    scoped = set(params.scope)
    facets = [
        {"name": name, "title": search.FACET_TITLES[name],
         "values": [facet_link(links, name, value) for value in values
                    if (name, value.value) not in scoped],
         "all_url": links.facet_values(name) if len(values) >= search.FACET_LIMITS[name] else None}
        for name, values in result.facets.items() if values
    ]
    facets = [facet for facet in facets if facet["values"]]
    thumbnails = first_page_thumbnails(hit.id for hit in result.hits)
    chips = _chips(links, result)
    base = links.base
    return {
        "result": result,
        "hits": [(hit, thumbnails.get(hit.id), _page_link(hit)) for hit in result.hits],
        "params": params,
        "query": strip_control_characters(params.q),  # see hidden_fields
        "form_action": path,
        "chips": chips,
        "active_filters": len(chips),
        "facets": facets,
        "histogram": _histogram(links, result),
        "sorts": _sorts(params),
        "hidden_filters": hidden_fields(base, "date_from", "date_to", "date_match", "status"),
        "hidden_for_sort": hidden_fields(base, "sort"),
        "pagination": _pagination(links, params, result),
        "suggestions": [{"q": one.q, "url": links.url([("q", one.q),
                                                        *((k, v) for k, v in base if k != "q")])}
                        for one in result.suggestions],
        "staff_statuses": STATUS_LABELS if can_see_unpublished(request.user) else None,
        "first_number": (params.page - 1) * params.page_size + 1,
        "last_number": (params.page - 1) * params.page_size + len(result.hits),
        "clear_filters_url": links.url((k, v) for k, v in base if k in ("q", "sort", "status")),
        # The same search with other spellings of names (literal off) or without them (on).
        "spellings_url": links.url([*((k, v) for k, v in base if k != "literal"),
                                    *(() if params.literal else (("literal", "1"),))]),
        "canonical": request.build_absolute_uri(links.url(params.query_items())),
    }


def _sorts(params: search.SearchParams) -> list[dict]:
    """The orders to choose from: relevance only for words (without, the list is in date
    order, as the search orders it)."""
    chosen = params.sort if params.q or params.sort != "relevance" else "date"
    return [{"value": value, "label": label, "selected": value == chosen}
            for value, label in SORT_LABELS.items() if value != "relevance" or params.q]


def _page_link(hit: search.Hit) -> str | None:
    """For a snippet read on a scan: the viewer at that page, with the words boxed."""
    if hit.snippet_source != "ocr" or hit.snippet_page is None:
        return None
    return viewer_url(hit.id, hit.snippet_page, hit.snippet_words)


def facet_link(links: Links, name: str, value: search.FacetValue) -> dict:
    """A value as links: choose it (or stop choosing it) and exclude it (or stop excluding)."""
    pair, negated = (name, value.value), (NOT + name, value.value)
    return {
        "value": value.value, "label": value.label, "count": value.count,
        "selected": value.selected, "excluded": value.excluded,
        "url": links.without(pair) if value.selected else links.adding(pair),
        "exclude_url": links.without(negated) if value.excluded else links.adding(negated),
    }


def _chips(links: Links, result: search.SearchResult) -> list[dict]:
    """Removable chips for every active filter, each linking to the list without it."""
    labels = {
        (name, value.value): value.label
        for name, values in result.facets.items() for value in values
        if value.selected or value.excluded
    }
    chips = []
    for name, value in links.base:
        negated = name.startswith(NOT) and name[len(NOT):] in search.FACET_TITLES
        facet = name[len(NOT):] if negated else name
        if facet in search.FILTERS:
            label = labels.get((facet, value), value)
            title = search.FACET_TITLES[facet]
        elif name in ("date_from", "date_to"):
            label, title = value, "From" if name == "date_from" else "To"
        else:
            continue
        chips.append({"title": title, "label": label, "negated": negated,
                      "url": links.without((name, value))})
    return chips


def _histogram(links: Links, result: search.SearchResult) -> dict:
    largest = max((bucket.count for bucket in result.date_buckets), default=0)
    without_dates = [item for item in links.base if item[0] not in ("date_from", "date_to")]
    bars = [
        {"label": bucket.label, "count": bucket.count,
         # At least 1 (of 100): a bucket with a document keeps a visible bar.
         "percent": max(1, round(100 * bucket.count / largest)) if bucket.count else 0,
         "url": links.url([*without_dates, ("date_from", bucket.value),
                           ("date_to", bucket.value)])}
        for bucket in result.date_buckets
    ]
    return {"level": result.date_level, "bars": bars}


def _pagination(links: Links, params: search.SearchParams, result: search.SearchResult) -> dict:
    last = min(result.pages, search.MAX_RESULT_WINDOW // params.page_size)

    def page_url(number: int) -> str:
        return links.url([*links.base, ("page", str(number))] if number > 1 else links.base)

    return {
        "previous": page_url(params.page - 1) if params.page > 1 else None,
        "next": page_url(params.page + 1) if params.page < last else None,
        "number": params.page,
        "pages": result.pages,
    }
