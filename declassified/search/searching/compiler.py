"""Tantivy queries from the parsed query text, the filters and the date range: the plain
data of language/ compiled against the schema of engine/."""

from __future__ import annotations

from dataclasses import dataclass

import tantivy

from declassified.search.engine.schema import SCHEMA
from declassified.search.language.pairs import NO_PAIRS, PairTerms, phrase_pairs, splits_like_the_index
from declassified.search.language.params import EXCLUDE_PREFIX, SearchParams
from declassified.search.language.query import Item, Node, Not, Or, ParsedQuery
from declassified.search.vocabulary import (
    DOCUMENT_STATUSES,
    FIELD_FILTERS,
    ID_FACETS,
    ID_FILTERS,
    PAIR_FIELDS,
    TEXT_FIELDS,
)

Must, Should, MustNot = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


def text_query(parsed: ParsedQuery, common: PairTerms = NO_PAIRS
               ) -> tantivy.Query | None:
    """The words of the query; `common` is the index's pair terms (language/pairs.py)."""
    return None if parsed.tree is None else node_query(parsed.tree, common)


def node_query(node: Node, common: PairTerms = NO_PAIRS) -> tantivy.Query:
    """The query of one node of the tree: AND is Must, OR is Should, and NOT is MustNot
    beside the node's positive parts, or beside every document when it has none (a
    pure negation means all documents except)."""
    if isinstance(node, Item):
        return item_query(node, common)
    if isinstance(node, Or):
        return _any([node_query(part, common) for part in node.parts])
    parts: list[Node] = [node] if isinstance(node, Not) else list(node.parts)
    clauses = [(Must, node_query(part, common)) for part in parts if not isinstance(part, Not)]
    if not clauses:
        clauses.append((Must, tantivy.Query.all_query()))
    clauses.extend((MustNot, node_query(part.part, common))
                   for part in parts if isinstance(part, Not))
    return tantivy.Query.boolean_query(clauses)


def item_query(item: Item, common: PairTerms = NO_PAIRS) -> tantivy.Query:
    """One word, phrase or prefix in its field, or in every text field with their boosts."""
    if item.field:
        return _field_query(FIELD_FILTERS[item.field], item, common)[0]
    queries: dict[str, tantivy.Query] = {}
    for name, boost in TEXT_FIELDS.items():
        query, key = _field_query(name, item, common)
        # body and body_ml share one pair field: a two-word phrase is one query there.
        queries.setdefault(key, tantivy.Query.boost_query(query, boost))
    return _any(list(queries.values()))


def _field_query(name: str, item: Item, common: PairTerms) -> tuple[tantivy.Query, str]:
    """The query for `item` in field `name`, and the field it is answered from."""
    first = item.terms[0][0] if item.terms else 0
    words = [(position - first, term) for position, term in item.terms]
    if item.prefix is not None:
        words.append(((words[-1][0] + 1) if words else 0, item.prefix))
        # tantivy's stub types `words` as an invariant list[str | tuple[int, str]]
        return tantivy.Query.phrase_prefix_query(SCHEMA, name, words), name  # type: ignore[arg-type]
    if len(words) == 1:
        return tantivy.Query.term_query(SCHEMA, name, words[0][1]), name
    phrase = tantivy.Query.phrase_query(SCHEMA, name, words)  # type: ignore[arg-type]  # as above
    pairs = phrase_pairs(words, common) if name in PAIR_FIELDS else []
    if not pairs or not splits_like_the_index(item.text):
        return phrase, name
    pair_terms = [tantivy.Query.term_query(SCHEMA, PAIR_FIELDS[name], p) for p in pairs]
    if len(words) == 2:  # the pair is the phrase
        return pair_terms[0], PAIR_FIELDS[name]
    # The pairs find the few candidates at the cost of terms; the phrase confirms each.
    return tantivy.Query.boolean_query([(Must, q) for q in [*pair_terms, phrase]]), name


def is_term_lookup(item: Item, common: PairTerms) -> bool:
    """Whether `item` is answered from term lists alone: a word, or a two-word phrase
    whose pair is indexed (no positions read)."""
    if item.prefix is not None:
        return False
    if len(item.terms) == 1:
        return True
    paired = item.field is None or FIELD_FILTERS[item.field] in PAIR_FIELDS
    return (paired and len(item.terms) == 2 and bool(phrase_pairs(item.terms, common))
            and splits_like_the_index(item.text))


def _any(queries: list[tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.boolean_query([(Should, q) for q in queries])


@dataclass(frozen=True)
class Excluded:
    """A filter met by leaving out the documents `query` matches."""

    query: tantivy.Query


def status_filter(statuses: tuple[str, ...], has_text: bool) -> tantivy.Query | Excluded | None:
    """Visibility: documents with one of `statuses` (None when that is every status).

    With words to match, the other statuses are left out instead: intersecting the words
    with the posting list of nearly every document cost as much as the words themselves
    (17 → 8 ms for a common word at 1M documents), skipping the few drafts is cheap. Without
    words the positive list is the cheaper way to say it.
    """
    others = [status for status in DOCUMENT_STATUSES if status not in statuses]
    if not others:
        return None
    if has_text:
        # Term queries rather than a term set: leaving out a term set's documents cost 0.6
        # ms, the term queries' 0.2 ms, for a word in 40 % of 100k documents (measured).
        return Excluded(_any([tantivy.Query.term_query(SCHEMA, "status", s) for s in others]))
    return tantivy.Query.term_set_query(SCHEMA, "status", list(statuses))


def filter_queries(
    params: SearchParams, parsed: ParsedQuery, statuses: tuple[str, ...]
) -> dict[str, tantivy.Query | Excluded]:
    """{name: query} for visibility, each filter and the date range; all must hold."""
    queries: dict[str, tantivy.Query | Excluded] = {}
    status = status_filter(statuses, has_text=not parsed.is_empty)
    if status is not None:
        queries["status"] = status
    for name, values in params.filters.items():
        queries[name] = any_value_query(name, values)
    # Keyed apart from the filters: the counts of a filter's values leave out its own
    # inclusions (so its other values keep their counts), never its exclusions or the scope.
    for name, values in params.excluded.items():
        queries[f"{EXCLUDE_PREFIX}{name}"] = Excluded(any_value_query(name, values))
    for number, (name, value) in enumerate(params.scope):
        queries[f"scope:{number}"] = any_value_query(name, (value,))
    first, last = params.day_range
    if first or last:
        queries["date"] = date_query(first, last, params.date_match)
    if parsed.date_range:
        start, end = parsed.date_range
        queries["date:"] = date_query(start and start.earliest, end and end.latest, "within")
    return queries


def any_value_query(name: str, values: tuple[str, ...]) -> tantivy.Query:
    """Documents with any of `values` of filter `name` (checked by language/params.py)."""
    if name in ID_FILTERS:
        return tantivy.Query.term_set_query(SCHEMA, ID_FACETS[name][0], [int(v) for v in values])
    return tantivy.Query.term_set_query(SCHEMA, name, list(values))


def date_query(first, last, rule: str) -> tantivy.Query:
    """Within (default): the document's whole span lies in [first, last]. Overlap: any day of
    it does. Undated documents never match a date filter."""
    low = first.toordinal() if first else None
    high = last.toordinal() if last else None
    if rule == "overlap":
        bounds = [("day_latest", low, None), ("day_earliest", None, high)]
    else:
        bounds = [("day_earliest", low, None), ("day_latest", None, high)]
    clauses = [
        (Must, tantivy.Query.range_query(SCHEMA, name, tantivy.FieldType.Integer, lo, hi))
        for name, lo, hi in bounds
        if lo is not None or hi is not None
    ]
    if not clauses:  # an unbounded side on both ends: any dated document
        clauses = [(Must, tantivy.Query.range_query(
            SCHEMA, "day_earliest", tantivy.FieldType.Integer, -(10**9), 10**9))]
    return tantivy.Query.boolean_query(clauses)


def combine(text: tantivy.Query | None, filters) -> tantivy.Query:
    """The words (or every document) and all the filters; filters do not change scores."""
    clauses = [(Must, text if text is not None else tantivy.Query.all_query())]
    for one in filters:
        if isinstance(one, Excluded):
            clauses.append((MustNot, one.query))
        else:
            clauses.append((Must, tantivy.Query.const_score_query(one, 0.0)))
    return tantivy.Query.boolean_query(clauses)
