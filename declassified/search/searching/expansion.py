"""Names in all their spellings: a query that names a person or place (in any spelling the
lexicon knows, engine/name_lexicon.py) also matches the other spellings, as phrases, in text
and tags alike.

    Chou En-lai  →  (Chou AND En-lai) OR "Zhou Enlai" OR "周恩来" OR …
    Peking 1960  →  (Peking OR Beijing OR Peiping OR 北京) AND 1960

Only plain words and phrases are looked up (not field filters, prefixes, ORed or negated
words), the longest run of them that spells a name first. The page says what else was
searched and offers the literal search (SearchParams.literal) instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tantivy

from declassified.search.engine.name_lexicon import MAX_KEY_TERMS, Lexicon
from declassified.search.language.analysis import query_terms
from declassified.search.language.query import Item, ParsedQuery
from declassified.search.searching.compiler import item_query, text_query

MAX_SPELLINGS = 8  # other spellings searched for one name
MAX_EXPANDED = 16  # in all, for the whole query: each is a phrase query more


@dataclass(frozen=True)
class Span:
    """Clauses start…end-1 of the query spell a name; `items` are its other spellings."""

    start: int
    end: int
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Expansion:
    spans: tuple[Span, ...] = ()
    spellings: list[str] = field(default_factory=list)  # what else was searched, in order

    def __bool__(self) -> bool:
        return bool(self.spans)

    def highlighted(self, parsed: ParsedQuery) -> ParsedQuery:
        """The query with the other spellings added, for marking them in snippets."""
        extra = [[item] for span in self.spans for item in span.items]
        return ParsedQuery(clauses=[*parsed.clauses, *extra], excluded=parsed.excluded)


NONE = Expansion()


def expand_names(parsed: ParsedQuery, lexicon: Lexicon) -> Expansion:
    """The names the query spells and their other spellings (NONE when none)."""
    if not lexicon.keys or parsed.is_empty:
        return NONE
    spans: list[Span] = []
    budget = MAX_EXPANDED
    start = 0
    while start < len(parsed.clauses) and budget > 0:
        span = _longest_name(parsed, start, lexicon, budget)
        if span is None:
            start += 1
            continue
        spans.append(span)
        budget -= len(span.items)
        start = span.end
    spellings = list(dict.fromkeys(item.text for span in spans for item in span.items))
    return Expansion(tuple(spans), spellings) if spans else NONE


def _longest_name(parsed: ParsedQuery, start: int, lexicon: Lexicon, budget: int) -> Span | None:
    terms: list[str] = []
    found: Span | None = None
    for end in range(start, min(len(parsed.clauses), start + MAX_KEY_TERMS)):
        clause = parsed.clauses[end]
        item = clause[0]
        if len(clause) != 1 or item.field is not None or item.prefix is not None:
            break
        terms.extend(term for _, term in item.terms)
        key = " ".join(terms)
        if key in lexicon.keys:
            items = _other_spellings(lexicon.spellings(key), key, budget)
            if items:
                found = Span(start, end + 1, items)
    return found


def _other_spellings(spellings: list[str], typed_key: str, budget: int) -> tuple[Item, ...]:
    items: dict[str, Item] = {}
    for spelling in spellings:
        terms = tuple(query_terms(spelling))
        key = " ".join(term for _, term in terms)
        if terms and key != typed_key and key not in items:
            items[key] = Item(text=spelling, terms=terms)
    return tuple(items.values())[:min(MAX_SPELLINGS, budget)]


def expanded_text_query(parsed: ParsedQuery, expansion: Expansion,
                        common: frozenset[str] = frozenset()) -> tantivy.Query | None:
    """The query's words, each spelled name ORed with its other spellings."""
    if not expansion:
        return text_query(parsed, common)
    spanned = {number for span in expansion.spans for number in range(span.start, span.end)}
    rest = ParsedQuery(clauses=[c for n, c in enumerate(parsed.clauses) if n not in spanned],
                       excluded=parsed.excluded)
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    rest_query = text_query(rest, common)
    if rest_query is not None:
        clauses.append((tantivy.Occur.Must, rest_query))
    for span in expansion.spans:
        typed = text_query(ParsedQuery(clauses=parsed.clauses[span.start:span.end]), common)
        assert typed is not None  # a span has at least one clause
        others = [item_query(item, common) for item in span.items]
        clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, one) for one in [typed, *others]])))
    return tantivy.Query.boolean_query(clauses)
