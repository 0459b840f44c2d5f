""""Did you mean": nearby spellings that find more, for a search that found few.

A search with fewer than FEW_RESULTS results looks at each word it had to match (not the
negated ones, not phrases or prefixes) that is in fewer than FEW_RESULTS documents: those
are the words that let it down. Each such word is looked up in the lexicon (lexicon.py) for
terms within one edit (words of up to five letters) or two (longer words) that are in more
documents than it: those one edit away if there are any, else two; the most frequent
first. The query with the word replaced (its filters kept) is counted on the live index as
the reader may see it, and offered only if it finds more than the search did: a suggestion
always has results.

With one such word, up to MAX_SUGGESTIONS spellings are offered; with several, one query
with the best spelling of each. A term is shown as a name writes it ("Kosygin") or else as
the first word the suggested query's best hit has for it (the index holds stems:
"negotiations", not "negoti"), in the case the reader typed.
"""

from __future__ import annotations

import dataclasses
import json

from declassified.search.engine.storage import LiveIndex
from declassified.search.language.analysis import CJK_RE, term_of
from declassified.search.language.query import Item, Node, Not, ParsedQuery, replace_words
from declassified.search.searching.compiler import combine, node_query
from declassified.search.searching.highlight import Highlighter
from declassified.search.searching.lexicon import Lexicon, lexicon_for
from declassified.search.types import Suggestion
from declassified.search.vocabulary import FIELD_FILTERS, TEXT_FIELDS

FEW_RESULTS = 3  # fewer results than this: suggest; and a word in fewer documents is suspect
MAX_SUGGESTIONS = 3
MAX_WORDS = 4  # suspect words corrected in one query (the rest are left as typed)
MAX_TRIES = 6  # spellings counted for one word: bounds the time


def max_distance(word: str) -> int:
    """Edits allowed: one for a word of up to five letters, two for a longer one."""
    return 1 if len(word) <= 5 else 2


def suggest(live: LiveIndex, searcher, parsed: ParsedQuery, filters: dict, total: int
            ) -> list[Suggestion]:
    """Queries like the reader's with suspect words respelled that find more than `total`
    (with the same `filters`); none when the search found FEW_RESULTS or more."""
    if total >= FEW_RESULTS or parsed.tree is None:
        return []
    documents = {item: _documents(searcher, item) for item in parsed.positive_items()
                 if _correctable(item)}
    suspects = [item for item, count in documents.items() if count < FEW_RESULTS][:MAX_WORDS]
    if not suspects:
        return []
    lexicon = lexicon_for(live, searcher)
    options = {item: _spellings(lexicon, item, documents[item]) for item in suspects}
    if len(suspects) == 1:
        (item, terms), = options.items()
        choices = [{item: term} for term in terms[:MAX_TRIES]]
    else:
        choices = [{item: terms[0] for item, terms in options.items() if terms}]
    found: list[Suggestion] = []
    for choice in choices:
        if choice and len(found) < MAX_SUGGESTIONS:
            suggestion = _counted(searcher, live, parsed, choice, filters, total, lexicon)
            if suggestion is not None:
                found.append(suggestion)
    return found


def _correctable(item: Item) -> bool:
    """A single word, typed in letters we can respell."""
    if item.prefix is not None or item.span is None or len(item.terms) != 1:
        return False
    return item.text.isalpha() and not CJK_RE.search(item.text)


def _documents(searcher, item: Item) -> int:
    """How many documents have the word, in the field it was asked in (the most of any)."""
    term = item.terms[0][1]
    fields = [FIELD_FILTERS[item.field]] if item.field else list(TEXT_FIELDS)
    return max(searcher.doc_freq(name, term) for name in fields)


def _spellings(lexicon: Lexicon, item: Item, documents: int) -> list[str]:
    """Terms near the word, in more documents than it, best first."""
    near = lexicon.nearest(item.terms[0][1], max_distance(item.text), more_than=documents)
    return [term for term, _ in near]


def _counted(searcher, live: LiveIndex, parsed: ParsedQuery, choice: dict[Item, str],
             filters: dict, total: int, lexicon: Lexicon) -> Suggestion | None:
    """The suggestion of `choice` (item → term), if its query finds more than `total`.
    Counted with the terms themselves; the words shown are checked to analyse to them."""
    assert parsed.tree is not None  # suggest() returned early otherwise
    tree = _respelled(parsed.tree, {item: dataclasses.replace(item, terms=((0, term),))
                                    for item, term in choice.items()})
    result = searcher.search(combine(node_query(tree, live.common), filters.values()), 1,
                             count=True)
    if result.count <= total or not result.hits:
        return None
    best = searcher.doc(result.hits[0][1])
    words: dict[Item, str] = {}
    for item, term in choice.items():
        word = lexicon.spelling.get(term) or _cased(_as_written(best, term), item.text)
        if not word:
            return None
        words[item] = word
    query_text = replace_words(parsed.text, {item.span: word for item, word in words.items()
                                             if item.span is not None})
    return Suggestion(q=query_text, total=result.count,
                      words=tuple((item.text, word) for item, word in words.items()))


def _respelled(node: Node, replacements: dict[Item, Item]) -> Node:
    if isinstance(node, Item):
        return replacements.get(node, node)
    if isinstance(node, Not):
        return Not(_respelled(node.part, replacements))
    return type(node)(tuple(_respelled(part, replacements) for part in node.parts))


def _as_written(document, term: str) -> str:
    """The first word of the document's title, summary, texts or OCR text that analyses to
    `term`; else the term itself if it analyses to itself; else ""."""
    marker = Highlighter(frozenset({term}), ())
    stored = json.loads(document.get_first("stored") or "{}")
    texts = [stored.get("title", ""), stored.get("summary", ""),
             *((document.get_first(name) or b"").decode() for name in ("text", "ocr_text"))]
    for text in texts:
        words = marker.matched_words(text, limit=1)
        if words:
            return words[0]
    return term if term_of(term) == term else ""


def _cased(word: str, typed: str) -> str:
    """`word` in the case the reader typed: lower, Capitalised or UPPER."""
    if not word:
        return word
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:].lower()
    return word.lower()
