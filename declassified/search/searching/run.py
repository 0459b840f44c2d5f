"""Running one search: the hits with snippets from here, the counts from counting.py,
"did you mean" from suggest.py."""

from __future__ import annotations

import bisect
import functools
import json
from dataclasses import dataclass
from urllib.parse import quote

import tantivy
from django.urls import reverse
from django.utils.safestring import SafeString

from declassified.search.engine.storage import live_index
from declassified.search.language.params import SearchParams
from declassified.search.language.query import ParsedQuery, parse_query
from declassified.search.searching.compiler import combine, filter_queries, text_query
from declassified.search.searching.counting import start_counting
from declassified.search.searching.expansion import expansion_for
from declassified.search.searching.highlight import Highlighter, highlighter_for
from declassified.search.searching.suggest import suggest
from declassified.search.types import Hit, SearchResult

_SORTS = {
    "date": ("sort_asc", tantivy.Order.Asc),
    "-date": ("sort_desc", tantivy.Order.Desc),
    "title": ("title_sort", tantivy.Order.Asc),
}


def run_search(params: SearchParams, statuses: tuple[str, ...]) -> SearchResult:
    """Search the live index for documents with one of `statuses` (decided by the caller)."""
    parsed = parse_query(params.q)
    live = live_index()
    searcher = live.index.searcher()
    # Names in the query also match their other spellings, unless only the words typed are
    # wanted (expansion.py): what is searched, counted and marked is the expanded query.
    expansion = expansion_for(params, parsed, live)
    searched = expansion.parsed
    text = text_query(searched, live.common)
    filters = filter_queries(params, parsed, statuses)
    counting = start_counting(live, searcher, text, filters, params, searched, statuses)
    hits = _hits(searcher, combine(text, filters.values()), params, text is not None, searched)
    counts = counting.result()
    return SearchResult(
        params=params, total=counts.total, hits=hits, facets=counts.facets,
        date_level=counts.date_level, date_buckets=counts.date_buckets,
        notices=list(parsed.notices), query=parsed, expanded=expansion.spellings,
        suggestions=suggest(live, searcher, parsed, filters, counts.total),
    )


def _hits(searcher, query, params: SearchParams, has_text: bool, parsed: ParsedQuery
          ) -> list[Hit]:
    """One page of hits. Not counted here: the counting threads count the matches in the
    pass they make anyway, and the top hits alone are found without scoring every match."""
    sort = params.sort if (has_text or params.sort != "relevance") else "date"
    options: dict = {"limit": params.page_size, "offset": (params.page - 1) * params.page_size}
    if sort in _SORTS:
        options["order_by_field"], options["order"] = _SORTS[sort]
    result = searcher.search(query, count=False, **options)
    highlighter = highlighter_for(parsed)
    return [_hit(searcher.doc(address), highlighter) for _, address in result.hits]


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


def _hit(doc: tantivy.Document, highlighter: Highlighter) -> Hit:
    pk_value, stored_json = doc.get_first("id"), doc.get_first("stored")
    assert pk_value is not None and stored_json is not None  # every indexed document has both
    pk = int(pk_value)
    stored = json.loads(stored_json)
    url = document_url(pk, stored.get("slug") or "")
    summary = stored.get("summary", "")
    snippet = _snippet(doc, stored, highlighter)
    if snippet.source == "text" and not snippet.matched and summary:
        snippet = _Snippet(highlighter.snippet(summary), "summary")
    return Hit(
        id=pk, url=url, title=stored["title"], title_html=highlighter.mark_all(stored["title"]),
        date=stored.get("date", ""), display_date=stored.get("display_date", ""),
        summary=summary, summary_html=highlighter.mark_all(summary), snippet=snippet.html,
        snippet_from_text=snippet.source != "summary" or not summary,
        snippet_source=snippet.source, snippet_page=snippet.page, snippet_words=snippet.words,
        edition=stored.get("edition", ""),
        status=stored.get("status", "published"),
    )


@dataclass(frozen=True)
class _Snippet:
    html: SafeString
    source: str  # "text", "ocr" or "summary"
    matched: bool = False
    page: int | None = None
    words: str = ""


def _snippet(doc: tantivy.Document, stored: dict, highlighter: Highlighter) -> _Snippet:
    """Where the words matched in the human texts; else in the OCR text, with its page;
    else the texts' beginning (the caller may prefer the summary)."""
    text = (doc.get_first("text") or b"").decode()
    html, first = highlighter.located_snippet(text)
    if first is not None or not highlighter.active or not stored.get("ocr_pages"):
        return _Snippet(html, "text", matched=first is not None)
    ocr_text = (doc.get_first("ocr_text") or b"").decode()
    ocr_html, first = highlighter.located_snippet(ocr_text)
    if first is None:
        return _Snippet(html, "text")
    starts = stored["ocr_pages"]  # [[page number, start], ...] in page order
    place = bisect.bisect_right([start for _, start in starts], first) - 1
    number, start = starts[place]
    end = starts[place + 1][1] if place + 1 < len(starts) else len(ocr_text)
    # The page's own words (one page: bounded), for the viewer to box there.
    words = highlighter.matched_words(ocr_text[start:end])
    return _Snippet(ocr_html, "ocr", matched=True, page=number, words=" ".join(words))
