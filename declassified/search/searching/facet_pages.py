"""Every value of one facet under a search, a page at a time, optionally narrowed to the
values whose label contains some text ("Show all values" and its search box).

One terms aggregation counts every value over the matches (the facet's own inclusions left
out, as in the filter panel, so its other values keep their counts); no document is loaded.
The public search with nothing chosen reads the every-value counts the indexer saved. The
labels of a facet's IDs are read once per index version from its label field's term
dictionary, so searching among thousands of names costs a pass over a list in memory.
"""

from __future__ import annotations

import threading

from declassified.search.engine.schema import LABEL_SEPARATOR
from declassified.search.engine.storage import live_index
from declassified.search.language.analysis import fold
from declassified.search.language.params import SearchParams
from declassified.search.language.query import parse_query
from declassified.search.searching.compiler import combine, filter_queries, text_query
from declassified.search.searching.complement import every_value_aggregations
from declassified.search.searching.counting import facet_cache
from declassified.search.searching.expansion import expansion_for
from declassified.search.searching.facets import label
from declassified.search.searching.saved_counts import is_browse_all, load_every_value
from declassified.search.types import FacetPage, FacetValue
from declassified.search.vocabulary import ID_FACETS

FACET_PAGE_SIZE = 50
MAX_VALUE_QUERY_CHARS = 200


def facet_page(params: SearchParams, statuses: tuple[str, ...], name: str, *,
               page: int = 1, contains: str = "", page_size: int = FACET_PAGE_SIZE
               ) -> FacetPage:
    """Page `page` of the values of facet `name` (most documents first) under the search
    `params` as `statuses` may see it; with `contains`, only values whose label contains it
    (case and accents ignored). Selected and excluded values are always listed."""
    live = live_index()
    searcher = live.index.searcher()
    counts = _every_count(live, searcher, params, statuses, name)
    labels = _labels(searcher, live.generation, name)
    selected, excluded = params.filters.get(name, ()), params.excluded.get(name, ())
    values = [FacetValue(v, labels.get(v) or label(searcher, live.generation, name, v), count,
                         v in selected)
              for v, count in counts.items() if v not in excluded]
    values += [FacetValue(v, labels.get(v) or label(searcher, live.generation, name, v), 0, True)
               for v in selected if v not in counts]
    values += [FacetValue(v, labels.get(v) or label(searcher, live.generation, name, v), 0,
                          excluded=True) for v in excluded]
    wanted = fold(contains.strip())
    if wanted:
        values = [v for v in values if wanted in fold(v.label)]
    values.sort(key=lambda v: (-v.count, v.excluded, fold(v.label), v.value))
    start = (page - 1) * page_size
    return FacetPage(name=name, values=values[start:start + page_size], total=len(values),
                     page=page, page_size=page_size, contains=contains.strip())


def _every_count(live, searcher, params: SearchParams, statuses: tuple[str, ...],
                 name: str) -> dict[str, int]:
    """{value: documents} for every value of `name` with a match (cached per index version)."""
    key = ("every-value", live.generation, statuses, params.q,
           tuple(sorted((k, v) for k, v in params.filters.items() if k != name)),
           tuple(sorted(params.excluded.items())), params.scope,
           params.date_from, params.date_to, params.date_match, params.literal, name)
    known = facet_cache.get(key)
    if known is not None:
        return known
    every = load_every_value(live.path, searcher) if is_browse_all(params, statuses) else None
    if every is not None and name in every.counts:
        counts = {str(value): int(count) for value, count in every.counts[name].items() if count}
    else:
        parsed = parse_query(params.q)
        filters = filter_queries(params, parsed, statuses)
        others = [query for key, query in filters.items() if key != name]
        searched = expansion_for(params, parsed, live).parsed  # as the search itself counts
        result = searcher.aggregate(combine(text_query(searched, live.common), others),
                                    every_value_aggregations([name]))
        counts = {str(b["key"]): int(b["doc_count"]) for b in result[name]["buckets"]}
    facet_cache.put(key, counts)
    return counts


def _labels(searcher, generation, name: str) -> dict[str, str]:
    """{ID: label} of every value of an ID facet in the index ({} for value facets, whose
    value is its label): one walk of the label field's terms per index version, kept (like
    facets.label_of's labels) when the counts are forgotten."""
    if name not in ID_FACETS:
        return {}
    key = (generation, name)
    known = _all_labels.get(key)
    if known is None:
        terms = searcher.terms_with_prefix(ID_FACETS[name][1], "")
        known = dict(term.split(LABEL_SEPARATOR, 1) for term, _ in terms
                     if LABEL_SEPARATOR in term)
        with _labels_lock:
            for old in [k for k in _all_labels if k[0] != generation]:
                del _all_labels[old]  # an older index version's
            _all_labels[key] = known
    return known


_all_labels: dict[tuple, dict[str, str]] = {}
_labels_lock = threading.Lock()
