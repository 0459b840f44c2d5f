"""The search facade: the only code that knows the index exists.

    result = search(request.GET, request.user)       # pages and the API
    page = facet_values(request.GET, request.user, "person", page=2, contains="rusk")
    apply_pending()                                   # after writes, in tests and importers
    apply_pending_after_job()                         # after a job (JOBS_UPDATE_INDEX)
    rebuild_index(); check_index()                    # `declassified reindex` / `check-index`
    copy_index(folder); install_index(folder / name)  # `declassified backup --with-index` / `restore`
    start_background_indexer()                        # the web server's indexer thread

The database is the truth; the index is derived from it through the outbox (indexing/).
Who may see what is decided by declassified.archive.access (visible_statuses), once.

Behind the facade, layers that import only downwards (checked by import-linter, see
[tool.importlinter] in pyproject.toml):

    indexing/     database → index: records, common-term sampling, browse-all counts,
                  the outbox applier, rebuild, drift check, indexer thread (the only part
                  that imports declassified.archive.models)
    searching/    one search over the index: queries, hits, highlighting, facet counts
    engine/       the index on disk: schema, entries, generations, common terms
    types.py      the plain data passed between layers and out of the facade
    language/     what the reader typed, as plain data: analysis, query, parameters, pairs
    vocabulary.py the name of every filter, facet and field (imports nothing)

This package is not a Django app (it imports the models at import time, which Django
forbids while it loads apps): declassified.indexer holds its commands and indexer thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from declassified.archive.access import Viewer, visible_statuses
from declassified.search.engine.storage import copy_live_generation as copy_index
from declassified.search.engine.storage import install_generation as install_index
from declassified.search.engine.storage import live_index
from declassified.search.indexing.drift import check_index
from declassified.search.indexing.outbox import (
    apply_pending,
    apply_pending_after_job,
    rebuild_index,
)
from declassified.search.indexing.worker import (
    run_indexer,
    start_background_indexer,
    stop_background_indexer,
)
from declassified.search.language.params import (
    EXCLUDE_PREFIX,
    MAX_FILTER_VALUE_CHARS,
    MAX_PAGE_SIZE,
    MAX_QUERY_PARAM_CHARS,
    MAX_RESULT_WINDOW,
    MAX_VALUES_PER_FILTER,
    PAGE_SIZE,
    SORTS,
    InvalidSearch,
    SearchParams,
    filter_values,
    parse_params,
)
from declassified.search.language.query import MAX_DEPTH as MAX_QUERY_DEPTH
from declassified.search.language.query import MAX_ITEMS as MAX_QUERY_ITEMS
from declassified.search.language.query import ParsedQuery, parse_query
from declassified.search.searching.counting import clear_facet_cache
from declassified.search.searching.facet_pages import (
    FACET_PAGE_SIZE,
    MAX_VALUE_QUERY_CHARS,
    facet_page,
)
from declassified.search.searching.run import run_search
from declassified.search.searching.suggest import FEW_RESULTS
from declassified.search.types import (
    DateBucket,
    FacetPage,
    FacetValue,
    Hit,
    IndexDrift,
    RebuildReport,
    SearchResult,
    Suggestion,
)
from declassified.search.vocabulary import FACET_LIMITS, FACET_TITLES, FILTERS, ID_FILTERS

__all__ = [
    "EXCLUDE_PREFIX", "FACET_LIMITS", "FACET_PAGE_SIZE", "FACET_TITLES", "FEW_RESULTS", "FILTERS",
    "ID_FILTERS", "MAX_FILTER_VALUE_CHARS", "MAX_PAGE_SIZE", "MAX_QUERY_DEPTH", "MAX_QUERY_ITEMS",
    "MAX_QUERY_PARAM_CHARS", "MAX_RESULT_WINDOW", "MAX_VALUES_PER_FILTER", "MAX_VALUE_QUERY_CHARS",
    "PAGE_SIZE", "SORTS",
    "DateBucket", "FacetPage", "FacetValue", "Hit", "IndexDrift", "InvalidSearch", "ParsedQuery",
    "RebuildReport", "SearchParams", "SearchResult", "Suggestion",
    "apply_pending", "apply_pending_after_job", "check_index", "clear_caches", "copy_index", "facet_values",
    "filter_values", "index_generation", "install_index", "parse_params", "parse_query",
    "rebuild_index", "run_indexer", "search", "start_background_indexer",
    "stop_background_indexer", "visible_statuses",
]


def search(params: SearchParams | Mapping, user: Viewer, *, page_size: int = PAGE_SIZE,
           scope: tuple[tuple[str, str], ...] = ()) -> SearchResult:
    """Search as `user` (None: as the public). `params` is a SearchParams or a QueryDict/dict
    of raw parameters; `scope` fixed filters ((name, value), ...) a listing page adds, ANDed
    with the rest (a collection's or a person's documents).

    Raises InvalidSearch for bad parameters; the query text itself never fails (malformed
    queries are searched as plain words with a notice). No database queries, except label
    look-ups for selected filter values that have no matches.
    """
    if not isinstance(params, SearchParams):
        params = parse_params(params, page_size=page_size)
    if scope:
        params = replace(params, scope=tuple(scope))
    return run_search(params, visible_statuses(user, params.status))


def facet_values(params: SearchParams | Mapping, user: Viewer, name: str, *, page: int = 1,
                 contains: str = "", scope: tuple[tuple[str, str], ...] = ()) -> FacetPage:
    """Every value of facet `name` with its count under the search, a page at a time (most
    documents first), only those whose label contains `contains` when given. One terms
    aggregation over the matches' facet field (cached per index version), never the
    documents. Raises InvalidSearch for bad parameters or an unknown facet."""
    if name not in FILTERS:
        raise InvalidSearch(
            f"There is no filter {name[:40]!r}; the filters are {', '.join(FILTERS)}.")
    if len(contains) > MAX_VALUE_QUERY_CHARS:
        raise InvalidSearch(
            f"The text to find among values may be at most {MAX_VALUE_QUERY_CHARS} characters.")
    if not isinstance(params, SearchParams):
        params = parse_params(params)
    if scope:
        params = replace(params, scope=tuple(scope))
    return facet_page(params, visible_statuses(user, params.status), name, page=page,
                      contains=contains)


def index_generation() -> tuple:
    """A value that changes whenever what searches find may have changed (a rebuild swapped
    the index in, or the indexer committed): a cache key. One readlink and one stat."""
    return live_index().generation


def clear_caches() -> None:
    """Forget every answer cached in this process (the facet counts of recent searches), so
    the next search counts afresh as a new query would: for tests and benchmarks that need
    cold caches. What a serving process keeps warm all day stays: open index readers, the
    browse-all counts saved for the current commit, analysed words, facet labels."""
    clear_facet_cache()
