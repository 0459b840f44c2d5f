"""Running one search: Tantivy query from parsed input, hits with snippets, facet counts."""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from urllib.parse import quote

import tantivy
from django.urls import reverse
from django.utils.safestring import SafeString

from declassified.search._backend import SCHEMA, live_index
from declassified.search._facets import (
    DateBucket,
    FacetValue,
    date_aggregations,
    date_buckets,
    facet_aggregations,
    facet_values,
)
from declassified.search._highlight import Highlighter
from declassified.search._params import FILTERS, ID_FILTERS, SearchParams
from declassified.search._query import Item, ParsedQuery, parse_query
from declassified.search._schema import FIELD_FILTERS, ID_FACETS, TEXT_FIELDS

Must, Should, MustNot = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot
_SORTS = {
    "date": ("sort_asc", tantivy.Order.Asc),
    "-date": ("sort_desc", tantivy.Order.Desc),
    "title": ("title_sort", tantivy.Order.Asc),
}
PREFIX_EXPANSIONS = 50


@dataclass(frozen=True)
class Hit:
    id: int
    url: str
    title: str
    title_html: SafeString
    date: str
    display_date: str
    summary: str
    summary_html: SafeString  # the summary with matched words marked
    snippet: SafeString  # where the words matched in the texts; else in the summary
    snippet_from_text: bool


@dataclass
class SearchResult:
    params: SearchParams
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    date_level: str
    date_buckets: list[DateBucket]
    notices: list[str] = field(default_factory=list)
    query: ParsedQuery = field(default_factory=ParsedQuery)

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def page_size(self) -> int:
        return self.params.page_size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def run_search(params: SearchParams, statuses: tuple[str, ...]) -> SearchResult:
    """Search the live index for documents with one of `statuses` (decided by the caller)."""
    parsed = parse_query(params.q)
    live = live_index()
    searcher = live.index.searcher()
    text = text_query(parsed)
    filters = filter_queries(params, parsed, statuses)
    query = combine(text, filters.values())
    hits, total = _hits(searcher, query, params, text is not None, parsed)
    key = (live.generation, statuses, params.q, tuple(sorted(params.filters.items())),
           params.date_from, params.date_to, params.date_match)
    counted = _facet_cache.get(key)
    if counted is None:
        counted = _count_facets(searcher, live.generation, text, filters, params)
        _facet_cache.put(key, counted)
    facets, (level, buckets) = counted
    return SearchResult(
        params=params, total=total, hits=hits, facets=facets, date_level=level,
        date_buckets=buckets, notices=list(parsed.notices), query=parsed,
    )


def text_query(parsed: ParsedQuery) -> tantivy.Query | None:
    if parsed.is_empty:
        return None
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for alternatives in parsed.clauses:
        queries = [item_query(item) for item in alternatives]
        clauses.append((Must, queries[0] if len(queries) == 1 else _any(queries)))
    if not clauses:
        clauses.append((Must, tantivy.Query.all_query()))
    clauses.extend((MustNot, item_query(item)) for item in parsed.excluded)
    return tantivy.Query.boolean_query(clauses)


def item_query(item: Item) -> tantivy.Query:
    """One word, phrase or prefix in its field, or in every text field with their boosts."""
    if item.field:
        return _field_query(FIELD_FILTERS[item.field], item)
    return _any([
        tantivy.Query.boost_query(_field_query(name, item), boost)
        for name, boost in TEXT_FIELDS.items()
    ])


def _field_query(name: str, item: Item) -> tantivy.Query:
    first = item.terms[0][0] if item.terms else 0
    words = [(position - first, term) for position, term in item.terms]
    if item.prefix is not None:
        words.append(((words[-1][0] + 1) if words else 0, item.prefix))
        return tantivy.Query.phrase_prefix_query(SCHEMA, name, words)
    if len(words) == 1:
        return tantivy.Query.term_query(SCHEMA, name, words[0][1])
    return tantivy.Query.phrase_query(SCHEMA, name, words)


def _any(queries: list[tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.boolean_query([(Should, q) for q in queries])


def filter_queries(
    params: SearchParams, parsed: ParsedQuery, statuses: tuple[str, ...]
) -> dict[str, tantivy.Query]:
    """{name: query} for visibility, each filter and the date range; all must match."""
    queries = {"status": tantivy.Query.term_set_query(SCHEMA, "status", list(statuses))}
    for name, values in params.filters.items():
        if name in ID_FILTERS:
            queries[name] = tantivy.Query.term_set_query(
                SCHEMA, ID_FACETS[name][0], [int(v) for v in values]
            )
        else:
            queries[name] = tantivy.Query.term_set_query(SCHEMA, name, list(values))
    first, last = params.day_range
    if first or last:
        queries["date"] = date_query(first, last, params.date_match)
    if parsed.date_range:
        start, end = parsed.date_range
        queries["date:"] = date_query(start and start.earliest, end and end.latest, "within")
    return queries


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
    clauses = [(Must, text if text is not None else tantivy.Query.all_query())]
    clauses.extend((Must, tantivy.Query.const_score_query(q, 0.0)) for q in filters)
    return tantivy.Query.boolean_query(clauses)


def _hits(searcher, query, params: SearchParams, has_text: bool, parsed: ParsedQuery):
    sort = params.sort if (has_text or params.sort != "relevance") else "date"
    options: dict = {"limit": params.page_size, "offset": (params.page - 1) * params.page_size}
    if sort in _SORTS:
        options["order_by_field"], options["order"] = _SORTS[sort]
    result = searcher.search(query, count=True, **options)
    highlighter = highlighter_for(parsed)
    hits = [_hit(searcher.doc(address), highlighter) for _, address in result.hits]
    return hits, result.count


@functools.cache
def _document_url_parts() -> tuple[str, str, str]:
    sentinel = reverse("web:document-slug", args=[123456789, "SLUG"])
    head, middle = sentinel.split("123456789", 1)
    middle, tail = middle.split("SLUG", 1)
    return head, middle, tail


def document_url(pk: int, slug: str) -> str:
    """reverse("web:document-slug") without its per-call cost (twenty per page)."""
    if not slug:
        return reverse("web:document", args=[pk])
    head, middle, tail = _document_url_parts()
    return f"{head}{pk}{middle}{quote(slug)}{tail}"


def highlighter_for(parsed: ParsedQuery) -> Highlighter:
    terms = {term for item in parsed.positive_items() for _, term in item.terms}
    prefixes = tuple(sorted({i.prefix for i in parsed.positive_items() if i.prefix}))
    return Highlighter(frozenset(terms), prefixes)


def _hit(doc: tantivy.Document, highlighter: Highlighter) -> Hit:
    pk = int(doc.get_first("id"))
    stored = json.loads(doc.get_first("stored"))
    url = document_url(pk, stored.get("slug") or "")
    summary, text = stored.get("summary", ""), stored.get("text", "")
    snippet = highlighter.snippet(text)
    from_text = "<mark>" in snippet
    if not from_text and summary:
        snippet = highlighter.snippet(summary)
    return Hit(
        id=pk, url=url, title=stored["title"], title_html=highlighter.mark_all(stored["title"]),
        date=stored.get("date", ""), display_date=stored.get("display_date", ""),
        summary=summary, summary_html=highlighter.mark_all(summary), snippet=snippet,
        snippet_from_text=from_text or not summary,
    )


def _count_facets(searcher, generation, text, filters: dict, params: SearchParams):
    """Counts for every facet: one pass with all filters for the unfiltered facets and the
    date histogram, plus one pass per active facet without its own filter, so the other
    values of an ORed filter keep their counts."""
    active = [name for name in FILTERS if name in params.filters]
    passive = [name for name in FILTERS if name not in params.filters]
    aggregations = {**facet_aggregations(passive), **date_aggregations()}
    result = searcher.aggregate(combine(text, filters.values()), aggregations)
    facets: dict[str, list[FacetValue]] = {}
    for name in active:
        others = [q for key, q in filters.items() if key != name]
        own = searcher.aggregate(combine(text, others), facet_aggregations([name]))

        def count_of(value: str, name=name, others=others) -> int:
            one = filter_queries(replace(params, filters={name: (value,)}), ParsedQuery(), ())
            return searcher.search(combine(text, [*others, one[name]]), 1, count=True).count

        facets[name] = facet_values(
            searcher, generation, name, own[name], params.filters[name], count_of
        )
    for name in passive:
        facets[name] = facet_values(searcher, generation, name, result[name], ())
    ordered = {name: facets[name] for name in FILTERS}
    return ordered, date_buckets(result)


class _LRU:
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


_facet_cache = _LRU(256)
