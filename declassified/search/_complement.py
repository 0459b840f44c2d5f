"""Counting a near-total match set through the documents it leaves out.

Facet counting costs about 20 ns per counted value, so a query matching nearly everything
(a very common word, a phrase like "of the") costs as much as counting every document: over
100 ms at 1M documents. When no filter is set, the counts of every published document are
known already (the indexer counts every value at each commit, see _precomputed), so such a
query's counts are those minus the counts of the published documents it does *not* match,
which are few.

Whether a query matches most documents is estimated before anything is counted, from the
term dictionary: a clause matches at least as many documents as its commonest word or word
pair in one field; a conjunction at least what its clauses' misses leave. The estimate only
chooses the cheaper way to count; both give the same numbers.
"""

from __future__ import annotations

import heapq

import tantivy

from declassified.search._backend import SCHEMA
from declassified.search._facets import FACET_LIMITS, facet_field
from declassified.search._pairs import PAIR_FIELDS, phrase_pairs
from declassified.search._precomputed import EveryValue
from declassified.search._queries import is_term_lookup
from declassified.search._query import Item, ParsedQuery
from declassified.search._schema import FIELD_FILTERS, TEXT_FIELDS

# Counting the complement costs what counting its documents does, plus about what counting
# this many matches would: its query walks every published document, and every value of
# every facet comes back to be subtracted (measured at 100k documents: the two ways cost the
# same at 62 % matched; at 1M, at 54 % before the subtraction was made cheaper).
COMPLEMENT_EXTRA = 25_000


def complement_is_cheaper(matched_at_least: int, published: int) -> bool:
    """Whether counting the published documents not matched is the cheaper way."""
    return matched_at_least > published - matched_at_least + COMPLEMENT_EXTRA
EVERY_VALUE = 100_000  # aggregation size and segment size: every value of a facet


def match_lower_bound(searcher, parsed: ParsedQuery, common: frozenset[str]) -> int:
    """At least how many documents (of any status) the query's words match; 0 when that
    cannot be told from term counts (phrases read positions, prefixes, exclusions)."""
    if parsed.excluded or not parsed.clauses:
        return 0
    total = searcher.num_docs
    missed = 0
    for alternatives in parsed.clauses:
        bound = max(_item_lower_bound(searcher, item, common) for item in alternatives)
        missed += total - bound
    return max(0, total - missed)


def _item_lower_bound(searcher, item: Item, common: frozenset[str]) -> int:
    if not is_term_lookup(item, common):
        return 0
    if len(item.terms) == 1:
        term = item.terms[0][1]
        fields = [FIELD_FILTERS[item.field]] if item.field else list(TEXT_FIELDS)
        return max(searcher.doc_freq(name, term) for name in fields)
    if item.field:  # field filters have no pair twins
        return 0
    pair = phrase_pairs(item.terms, common)[0]
    return max(searcher.doc_freq(name, pair) for name in set(PAIR_FIELDS.values()))


def complement_query(text: tantivy.Query) -> tantivy.Query:
    """The published documents the words do not match."""
    return tantivy.Query.boolean_query([
        (tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, "status", "published")),
        (tantivy.Occur.MustNot, text),
    ])


def every_value_aggregations(names) -> dict:
    """Terms aggregations of these facets that return every value, not the top ones."""
    return {
        name: {"terms": {"field": facet_field(name), "size": EVERY_VALUE,
                         "segment_size": EVERY_VALUE}}
        for name in names
    }


def subtract(every: EveryValue, complement: dict) -> dict:
    """Aggregation-shaped results (top values by count, every date bucket) of the matches:
    the counts over all published documents minus those of the complement."""
    result = {}
    for name, counts in every.counts.items():
        taken = {b["key"]: int(b["doc_count"]) for b in complement.get(name, {}).get("buckets", [])}
        if name == "date":
            left = [(count - taken.get(key, 0), key) for key, count in counts.items()]
        else:
            left = _largest_left(every.ranked[name], taken, FACET_LIMITS[name])
        result[name] = {"buckets": [{"key": key, "doc_count": count}
                                    for count, key in left if count > 0]}
    return result


def _largest_left(ranked: list[tuple[int, object]], taken: dict, limit: int) -> list:
    """The `limit` largest (count - taken, value), largest first. `ranked` holds every
    (count, value) by descending count; since nothing has more left than its count, the walk
    stops at the first count that cannot beat the limit-th best (a few dozen values of
    thousands, for the skewed counts of people or subjects)."""
    best: list[tuple[int, object]] = []  # a min-heap of the best so far
    for count, value in ranked:
        if len(best) == limit and count <= best[0][0]:
            break
        left = count - taken.get(value, 0)
        if len(best) < limit:
            heapq.heappush(best, (left, value))
        elif left > best[0][0]:
            heapq.heapreplace(best, (left, value))
    return sorted(best, key=lambda pair: -pair[0])
