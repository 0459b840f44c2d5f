"""The search facade: the only code that knows the index exists.

    result = search(request.GET, request.user)       # pages and the API
    apply_pending()                                   # after writes, in tests and importers
    rebuild_index(); check_index()                    # `declassified reindex` / `check-index`
    start_background_indexer()                        # the web server's indexer thread

The database is the truth; the index is derived from it through the outbox (see _indexer).
Who may see what is decided here, once, with declassified.archive.access.
"""

from __future__ import annotations

from collections.abc import Mapping

from declassified.search._facets import FACET_TITLES, DateBucket, FacetValue
from declassified.search._params import (
    FILTERS,
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    PAGE_SIZE,
    SORTS,
    InvalidSearch,
    SearchParams,
    parse_params,
)
from declassified.search._query import ParsedQuery, parse_query
from declassified.search._search import Hit, SearchResult, run_search

__all__ = [
    "FACET_TITLES", "FILTERS", "MAX_PAGE_SIZE", "MAX_RESULT_WINDOW", "PAGE_SIZE", "SORTS",
    "DateBucket", "FacetValue", "Hit", "IndexDrift", "InvalidSearch", "ParsedQuery",
    "RebuildReport", "SearchParams", "SearchResult",
    "apply_pending", "check_index", "parse_params", "parse_query", "rebuild_index",
    "run_indexer", "search", "start_background_indexer", "stop_background_indexer",
    "visible_statuses",
]


# These need the models, and this package is imported while Django loads its apps (it is
# one), so they are loaded on first use (PEP 562).
_INDEXER_NAMES = {"IndexDrift", "RebuildReport", "apply_pending", "check_index",
                  "rebuild_index", "run_indexer", "start_background_indexer",
                  "stop_background_indexer"}


def __getattr__(name: str):
    if name in _INDEXER_NAMES:
        from declassified.search import _indexer

        return getattr(_indexer, name)
    raise AttributeError(f"module 'declassified.search' has no attribute {name!r}")


def visible_statuses(user, requested: str = "published") -> tuple[str, ...]:
    """The document statuses a search by `user` covers: the public sees published only,
    whatever it asks for; staff who may see unpublished documents choose."""
    from declassified.archive.access import can_see_unpublished

    if requested == "published" or not can_see_unpublished(user):
        return ("published",)
    if requested == "all":
        return ("published", "draft", "withdrawn")
    return (requested,)


def search(params: SearchParams | Mapping, user, *, page_size: int = PAGE_SIZE) -> SearchResult:
    """Search as `user`. `params` is a SearchParams or a QueryDict/dict of raw parameters.

    Raises InvalidSearch for bad parameters; the query text itself never fails (malformed
    queries are searched as plain words with a notice). No database queries, except label
    look-ups for selected filter values that have no matches.
    """
    if not isinstance(params, SearchParams):
        params = parse_params(params, page_size=page_size)
    return run_search(params, visible_statuses(user, params.status))
