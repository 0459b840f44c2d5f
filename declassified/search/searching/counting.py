"""Facet counts over the whole match set: started before the hits are fetched, collected
after, cached per index version.

Counting (Tantivy terms aggregations) is most of the cost of a search over many matches. It
runs in a small pool of threads while the caller fetches the hits: Tantivy releases the GIL
while it counts, so on two cores the parts overlap.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

import tantivy

from declassified.search.language.pairs import NO_PAIRS, PairTerms
from declassified.search.language.params import SearchParams
from declassified.search.language.query import ParsedQuery
from declassified.search.searching.compiler import (
    Excluded,
    combine,
    filter_queries,
    is_term_lookup,
)
from declassified.search.searching.complement import (
    complement_aggregations,
    complement_is_cheaper,
    complement_query,
    match_lower_bound,
    subtract,
)
from declassified.search.searching.facets import (
    date_aggregations,
    date_buckets,
    facet_aggregations,
    facet_values,
    matches_of,
)
from declassified.search.searching.saved_counts import (
    PUBLIC,
    EveryValue,
    is_browse_all,
    load_browse_all,
    load_every_value,
)
from declassified.search.types import Counts
from declassified.search.vocabulary import FILTERS

Must, Should, MustNot = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot
_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-count")
# Two halves of the unselected facets with about equal counting work, measured at 100k
# documents (ms per 100k matches): person 12, subject 8, place 6, collection 5, the date
# histogram 1.5, each single-valued facet under 1. The first half also counts the dates.
_HALVES = ({"person", "collection"},
           {"subject", "place", "type", "language", "archive", "translation_language",
            "classification"})


@dataclass
class Counting:
    """The counts of one search: known already, or being counted."""

    searcher: object
    generation: tuple
    key: tuple
    params: SearchParams
    text: object = None
    filters: dict | None = None
    tasks: list[Future] | None = None
    reused: dict | None = None  # {facet: aggregation-like result} taken from browse-all
    every: EveryValue | None = None  # set when the tasks count the complement (complement.py)
    known: Counts | None = None

    def result(self) -> Counts:
        """The counts; waits for the counting."""
        if self.known is None:
            self.known = finish_counting(self.searcher, self.generation, self.tasks or [],
                                         self.text, self.filters or {}, self.params,
                                         self.reused, self.every)
            facet_cache.put(self.key, self.known)
        return self.known


def start_counting(live, searcher, text, filters: dict, params: SearchParams,
                   parsed: ParsedQuery, statuses: tuple[str, ...]) -> Counting:
    """Counts from the cache or the indexer's precomputed browse-all counts, or started."""
    key = (live.generation, statuses, params.q, tuple(sorted(params.filters.items())),
           tuple(sorted(params.excluded.items())), params.scope,
           params.date_from, params.date_to, params.date_match, params.literal)
    counting = Counting(searcher, live.generation, key, params, text, filters)
    counting.known = facet_cache.get(key)
    if counting.known is None and is_browse_all(params, statuses):
        counting.known = load_browse_all(live.path, searcher)
        if counting.known is not None:
            facet_cache.put(key, counting.known)
    if counting.known is None and _mostly_matched(live, searcher, text, filters, parsed,
                                                  statuses):
        counting.every = load_every_value(live.path, searcher)
        counting.tasks = _submit_groups(searcher, complement_query(_matching(text, filters)),
                                        _HALVES, complement_aggregations)
    if counting.known is None and counting.tasks is None:
        # One filter and nothing else: that filter's own counts are the browse-all counts.
        lone = text is None and len(params.filters) == 1 and set(filters) == {
            "status", *params.filters}
        browse_all = _known_browse_all(live, searcher, statuses) if lone else None
        counting.tasks, counting.reused = submit(searcher, text, filters, params, parsed,
                                                 browse_all, live.common)
    return counting


def _mostly_matched(live, searcher, text, filters: dict, parsed: ParsedQuery,
                    statuses: tuple[str, ...]) -> bool:
    """Whether to count through the complement: a public search with words or exclusions
    (not_<filter>) and no other filter, matching surely so many of the published documents
    that it is cheaper (their every-value counts saved). Leaving out a value of a few
    documents would otherwise count every value of nearly every document."""
    exclusions = _exclusions(filters)
    if statuses != PUBLIC or exclusions is None or (text is None and not exclusions):
        return False
    every = load_every_value(live.path, searcher)
    if every is None:
        return False
    bound = (every.published if text is None
             else match_lower_bound(searcher, parsed, live.common))
    if exclusions:
        excluded = tantivy.Query.boolean_query([(Should, q.query) for q in exclusions])
        bound -= searcher.search(excluded, 1, count=True).count
    return complement_is_cheaper(bound, every.published)


def _exclusions(filters: dict) -> list[Excluded] | None:
    """The exclusions among the filters, or None when there is any other filter."""
    others = [query for key, query in filters.items() if key != "status"]
    return others if all(isinstance(query, Excluded) for query in others) else None


def _matching(text, filters: dict):
    """The words without the excluded documents: what the complement is taken of."""
    exclusions = _exclusions(filters) or []
    if not exclusions:
        return text
    return tantivy.Query.boolean_query([
        (Must, text if text is not None else tantivy.Query.all_query()),
        *[(MustNot, query.query) for query in exclusions]])


def _known_browse_all(live, searcher, statuses: tuple[str, ...]):
    """The public browse-all counts if cached or saved (never counted here), else None."""
    if statuses != PUBLIC:
        return None
    key = (live.generation, PUBLIC, "", (), (), (), "", "", "within", False)
    return facet_cache.get(key) or load_browse_all(live.path, searcher)


def submit(searcher, text, filters: dict, params: SearchParams, parsed: ParsedQuery,
           browse_all=None, common: PairTerms = NO_PAIRS) -> tuple[list[Future], dict]:
    """Start the aggregations: the unselected facets and the date histogram over the match
    set, and each selected facet over the matches without its own filter (so the other
    values of an ORed filter keep their counts). A selected facet whose other conditions
    are none at all is the browse-all count, reused when `browse_all` has it."""
    active = [name for name in FILTERS if name in params.filters]
    passive = [name for name in FILTERS if name not in params.filters]
    # Each aggregation evaluates the query again: split the counting in two only when that
    # is cheap (words and word pairs, not phrases or prefixes, which read positions).
    cheap = all(is_term_lookup(item, common) for item in parsed.items())
    groups = [[n for n in passive if n in half] for half in _HALVES] if cheap else [passive]
    groups = [group for group in groups if group] or [[]]  # the date histogram, at least
    tasks = _submit_groups(searcher, combine(text, filters.values()), groups,
                           facet_aggregations)
    reused: dict = {}
    for name in active:
        others = {key: q for key, q in filters.items() if key != name}
        if browse_all is not None and text is None and set(others) == {"status"}:
            reused[name] = {"buckets": [{"key": v.value, "doc_count": v.count}
                                        for v in browse_all.facets[name]]}
            continue
        query = combine(text, others.values())
        tasks.append(_pool.submit(searcher.aggregate, query, facet_aggregations([name])))
    return tasks, reused


def _submit_groups(searcher, query, groups, aggregations_of) -> list[Future]:
    """One counting task per group of facets over `query`; the first also counts dates and
    matches."""
    tasks = []
    for number, group in enumerate(groups):
        aggregations = aggregations_of(group)
        if number == 0:
            aggregations.update(date_aggregations())
        tasks.append(_pool.submit(searcher.aggregate, query, aggregations))
    return tasks


def finish_counting(searcher, generation, tasks: list[Future], text, filters: dict,
                    params: SearchParams, reused: dict | None = None,
                    every: EveryValue | None = None) -> Counts:
    """The counts once the counting is done; with `every`, the tasks counted the complement
    (see complement.py)."""
    result: dict = dict(reused or {})
    for task in tasks:
        result.update(task.result())
    total = matches_of(result)
    if every is not None:
        total = every.published - total
        result, unknown = subtract(every, result)
        if unknown:  # rare: counted directly
            result.update(searcher.aggregate(combine(text, filters.values()),
                                             facet_aggregations(unknown)))
    facets = {}
    for name in FILTERS:
        selected = params.filters.get(name, ())
        others = [q for key, q in filters.items() if key != name]

        def count_of(value: str, name=name, others=others) -> int:
            one = filter_queries(replace(params, filters={name: (value,)}), ParsedQuery(), ())
            return searcher.search(combine(text, [*others, one[name]]), 1, count=True).count

        facets[name] = facet_values(searcher, generation, name, result[name], selected, count_of,
                                    excluded=params.excluded.get(name, ()))
    level, buckets = date_buckets(result)
    return Counts(total, facets, level, buckets)


class CountCache:
    """A small thread-safe cache of facet counts; keys include the index generation, so a
    commit or a swap makes old entries unreachable."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        return None

    def put(self, key, value) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


facet_cache = CountCache(256)


def clear_facet_cache() -> None:
    """Forget every cached count (the facade's clear_caches: the benchmark measures
    counting, not the cache)."""
    with facet_cache.lock:
        facet_cache.data.clear()
