"""Counting a near-total match set through the documents it leaves out.

Facet counting costs about 20 ns per counted value, so a query matching nearly everything
(a very common word, a phrase like "of the") costs as much as counting every document: over
100 ms at 1M documents. When no filter is set, the counts of every published document are
known already (the indexer counts every value at each commit, see saved_counts.py), so such a
query's counts are those minus the counts of the published documents it does *not* match,
which are few.

Whether a query matches most documents is estimated before anything is counted, from the
term dictionary: a word matches at least as many documents as it has in its commonest
field and at most the sum over the fields; a conjunction at least what its parts' misses
leave, a disjunction at least its largest part, and a negation (`NOT Kosygin`, which matches
nearly everything) at least what its part at most leaves. The estimate only chooses the
cheaper way to count; both give the same numbers.
"""

from __future__ import annotations

import heapq

import tantivy

from declassified.search.engine.schema import SCHEMA
from declassified.search.language.pairs import PairTerms, phrase_pairs
from declassified.search.language.query import Item, Node, Not, Or, ParsedQuery
from declassified.search.searching.compiler import is_term_lookup
from declassified.search.searching.saved_counts import EveryValue
from declassified.search.vocabulary import (
    DOCUMENT_STATUSES,
    FACET_LIMITS,
    FIELD_FILTERS,
    PAIR_FIELDS,
    TEXT_FIELDS,
    facet_field,
)

# Count the complement when the matches are surely more than this share of the published
# documents: below it counting the matches is cheaper. Measured at 100k documents, both ways
# cost the same at about half (the complement's query walks every document, and its values
# are subtracted in Python: 2.3 ms); at 1M before the subtraction was made cheaper, at 54 %.
COMPLEMENT_SHARE = 0.52


def complement_is_cheaper(matched_at_least: int, published: int) -> bool:
    """Whether counting the published documents not matched is the cheaper way."""
    return matched_at_least > COMPLEMENT_SHARE * published


EVERY_VALUE = 100_000  # aggregation size and segment size: every value of a facet
# How many of the complement's most frequent values of a facet are returned: converting
# every value (thousands of people) cost more than the rest of the subtraction.
COMPLEMENT_TOP = 300


def match_lower_bound(searcher, parsed: ParsedQuery, common: PairTerms) -> int:
    """At least how many documents (of any status) the query's words match; 0 when that
    cannot be told from term counts (phrases read positions, prefixes)."""
    if parsed.tree is None:
        return 0
    return _bounds(searcher, parsed.tree, common, searcher.num_docs)[0]


def _bounds(searcher, node: Node, common: PairTerms, total: int) -> tuple[int, int]:
    """(at least, at most) how many documents `node` matches, from term counts: NOT
    swaps the bounds of its part, a conjunction misses at least what its parts miss, a
    disjunction matches at least what its largest part does."""
    if isinstance(node, Item):
        return _item_bounds(searcher, node, common, total)
    if isinstance(node, Not):
        low, high = _bounds(searcher, node.part, common, total)
        return total - high, total - low
    bounds = [_bounds(searcher, part, common, total) for part in node.parts]
    if isinstance(node, Or):
        return max(low for low, _ in bounds), min(total, sum(high for _, high in bounds))
    missed = sum(total - low for low, _ in bounds)
    return max(0, total - missed), min(high for _, high in bounds)


def _item_bounds(searcher, item: Item, common: PairTerms, total: int) -> tuple[int, int]:
    if not is_term_lookup(item, common):
        return 0, total
    if len(item.terms) == 1:
        term = item.terms[0][1]
        fields = [FIELD_FILTERS[item.field]] if item.field else list(TEXT_FIELDS)
        counts = [searcher.doc_freq(name, term) for name in fields]
    elif item.field:  # field filters have no pair twins
        return 0, total
    else:
        pair = phrase_pairs(item.terms, common)[0]
        # The fields without pair twins are searched by positions: no upper bound.
        return max(searcher.doc_freq(name, pair) for name in set(PAIR_FIELDS.values())), total
    # A document may have the term in several fields: at least the largest count, at most
    # their sum.
    return max(counts), min(total, sum(counts))


def complement_query(text: tantivy.Query) -> tantivy.Query:
    """The published documents the words do not match: every document less the words' and
    the other statuses' (walking every document costs half of walking the published ones'
    posting list, measured)."""
    return tantivy.Query.boolean_query([
        (tantivy.Occur.Must, tantivy.Query.all_query()),
        (tantivy.Occur.MustNot, text),
        *[(tantivy.Occur.MustNot, tantivy.Query.term_query(SCHEMA, "status", status))
          for status in DOCUMENT_STATUSES if status != "published"],
    ])


def every_value_aggregations(names, size: int = EVERY_VALUE) -> dict:
    """Terms aggregations of these facets, exact for the values they return: every value,
    or the `size` most frequent."""
    return {
        name: {"terms": {"field": facet_field(name), "size": size,
                         "segment_size": EVERY_VALUE}}
        for name in names
    }


def complement_aggregations(names) -> dict:
    """The complement's counts: the COMPLEMENT_TOP most frequent values of each facet, which
    hold what the subtraction needs unless the counts are unusually skewed (then `subtract`
    says which facets to count directly)."""
    return every_value_aggregations(names, COMPLEMENT_TOP)


def subtract(every: EveryValue, complement: dict) -> tuple[dict, list[str]]:
    """Aggregation-shaped results (top values by count, every date bucket) of the matches:
    the counts over all published documents minus those of the complement; and the facets
    this could not tell exactly (a value needed was beyond the complement's top values)."""
    result: dict[str, dict] = {}
    unknown: list[str] = []
    for name, counts in every.counts.items():
        returned = complement.get(name, {}).get("buckets", [])
        taken = {b["key"]: int(b["doc_count"]) for b in returned}
        left: list | None
        if name == "date":  # every bucket (a few hundred) was returned
            left = [(count - taken.get(key, 0), key) for key, count in counts.items()]
        else:
            complete = len(returned) < COMPLEMENT_TOP  # so a value not returned has none
            left = _largest_left(every.ranked[name], taken, complete, FACET_LIMITS[name])
            if left is None:
                unknown.append(name)
                continue
        result[name] = {"buckets": [{"key": key, "doc_count": count}
                                    for count, key in left if count > 0]}
    return result, unknown


def _largest_left(ranked: list[tuple[int, object]], taken: dict, complete: bool,
                  limit: int) -> list | None:
    """The `limit` largest (count - taken, value), largest first; None if a value it needed
    is not in `taken` and `taken` is not `complete`. `ranked` holds every (count, value) by
    descending count; since nothing has more left than its count, the walk stops at the
    first count that cannot beat the limit-th best (a few dozen values of thousands, for
    the skewed counts of people or subjects)."""
    best: list[tuple[int, object]] = []  # a min-heap of the best so far
    for count, value in ranked:
        if len(best) == limit and count <= best[0][0]:
            break
        if value in taken:
            left = count - taken[value]
        elif complete:
            left = count
        else:
            return None
        if len(best) < limit:
            heapq.heappush(best, (left, value))
        elif left > best[0][0]:
            heapq.heapreplace(best, (left, value))
    return sorted(best, key=lambda pair: -pair[0])
