"""The query language, parsed leniently into plain data.

    words ANDed · "exact phrase" · a OR b · -word · prefix* ·
    title: person: place: subject: collection: type: lang: archive: (word or "phrase") ·
    date:1962..1965 · date:1965-03

Anything the grammar cannot read (unbalanced quotes, a lone operator, engine syntax such as
brackets or `^`, control characters, an unknown field, an over-long query) is searched as
plain words instead, with a notice saying so. `parse_query` never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from declassified.archive.dates import InvalidDate, parse_document_date
from declassified.search.language.analysis import CJK_RE, TOKEN_RE, prefix_term, query_terms
from declassified.search.vocabulary import QUERY_FIELDS

MAX_QUERY_CHARS = 1000
MAX_ITEMS = 32
MIN_PREFIX_CHARS = 2
_SYNTAX_CHARS = set("()[]{}^~\\!&|+<>=")
_CHUNK_RE = re.compile(r'[^\s"]+')


class _Malformed(Exception):
    """Raised inside the parser; becomes a notice and a plain-words search."""


@dataclass(frozen=True)
class Item:
    """One thing to match: a word, a phrase or a prefix, in all text fields or one field."""

    text: str
    terms: tuple[tuple[int, str], ...]  # (position, term) to match as a phrase
    field: str | None = None  # one of QUERY_FIELDS, or None for all text fields
    prefix: str | None = None  # folded prefix matched after `terms`


@dataclass
class ParsedQuery:
    """Clauses are ANDed; the items within one clause are ORed; `excluded` are NOT."""

    clauses: list[list[Item]] = field(default_factory=list)
    excluded: list[Item] = field(default_factory=list)
    date_text: str | None = None  # from date:…, as "A..B" or "A"
    date_range: tuple | None = None  # (DocumentDate, DocumentDate)
    notices: list[str] = field(default_factory=list)
    plain_words: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.clauses and not self.excluded

    def positive_items(self) -> list[Item]:
        return [item for clause in self.clauses for item in clause]


def parse_query(text: str | None) -> ParsedQuery:
    """Parse a query; malformed input falls back to plain words with a notice."""
    text = text or ""
    if not text.strip():
        return ParsedQuery()
    try:
        reason = _precheck(text)
        if reason:
            raise _Malformed(reason)
        return _Parser(text).parse()
    except _Malformed as problem:
        return plain_words(text, reason=str(problem))


def _precheck(text: str) -> str | None:
    if len(text) > MAX_QUERY_CHARS:
        return f"it is longer than {MAX_QUERY_CHARS} characters"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") and c not in "\t\n\r" for c in text):
        return "it contains control characters"
    return None


def plain_words(text: str, reason: str) -> ParsedQuery:
    """Every word of `text`, ANDed, ignoring all syntax."""
    cleaned = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    words = TOKEN_RE.findall(cleaned)
    # A stray operator was not meant as a word ("Kosygin OR" searches for Kosygin).
    words = [word for word in words if word != "OR"] or words
    notices = [f"Your search was read as plain words because {reason}."]
    if len(words) > MAX_ITEMS:
        notices.append(f"Only the first {MAX_ITEMS} words were searched.")
        words = words[:MAX_ITEMS]
    clauses = []
    for word in words:
        terms = tuple(query_terms(word))
        if terms:
            clauses.append([Item(text=word, terms=terms)])
    return ParsedQuery(clauses=clauses, notices=notices, plain_words=True)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.result = ParsedQuery()
        self.pending_or = False

    def parse(self) -> ParsedQuery:
        while True:
            self._skip_space()
            if self.pos >= len(self.text):
                break
            self._read_one()
        if self.pending_or:
            raise _Malformed("OR needs a word on each side")
        # Every item (ORed ones too) becomes engine clauses: the count bounds the query's cost.
        if len(self.result.positive_items()) + len(self.result.excluded) > MAX_ITEMS:
            raise _Malformed(f"it has more than {MAX_ITEMS} parts")
        return self.result

    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _read_one(self) -> None:
        negated = False
        if self.text[self.pos] == "-":
            following = self.text[self.pos + 1 : self.pos + 2]
            if not following or following.isspace() or following == "-":
                raise _Malformed("a '-' stands alone")
            negated = True
            self.pos += 1
        if self.text[self.pos] == '"':
            self._add(self._read_phrase(None), negated)
            return
        match = _CHUNK_RE.match(self.text, self.pos)
        # parse() skipped the spaces and a quote was read above: at least one character matches
        assert match is not None
        chunk = match.group()
        self.pos += len(chunk)
        if chunk == "OR" and not negated:
            if not self.result.clauses or self.pending_or:
                raise _Malformed("OR needs a word on each side")
            self.pending_or = True
            return
        self._read_chunk(chunk, negated)

    def _read_phrase(self, field_name: str | None) -> Item | None:
        end = self.text.find('"', self.pos + 1)
        if end < 0:
            raise _Malformed("a quotation mark is not closed")
        phrase = self.text[self.pos + 1 : end]
        self.pos = end + 1
        terms = tuple(query_terms(phrase))
        return Item(text=phrase, terms=terms, field=field_name) if terms else None

    def _read_chunk(self, chunk: str, negated: bool) -> None:
        if any(c in _SYNTAX_CHARS for c in chunk):
            raise _Malformed("it contains characters with a special meaning in other engines")
        name, colon, value = chunk.partition(":")
        if colon and name.casefold() in (*QUERY_FIELDS, "date"):
            self._read_field(name.casefold(), value, negated)
            return
        if colon and name and TOKEN_RE.fullmatch(name) and not value:
            raise _Malformed(f"'{name}:' has nothing after it")
        if colon and name.isalpha() and value and name.isascii():
            raise _Malformed(f"'{name}:' is not a field we know")
        self._add(_word_item(chunk, None), negated)

    def _read_field(self, name: str, value: str, negated: bool) -> None:
        if name == "date":
            if negated or self.pending_or:
                raise _Malformed("date: cannot be negated or ORed")
            self._read_date(value)
            return
        if not value:
            if self.text[self.pos : self.pos + 1] != '"':
                raise _Malformed(f"'{name}:' has nothing after it")
            self._add(self._read_phrase(name), negated)
            return
        self._add(_word_item(value, name), negated)

    def _read_date(self, value: str) -> None:
        start, dots, end = value.partition("..")
        try:
            first = parse_document_date(start) if start else None
            last = (parse_document_date(end) if end else None) if dots else first
            if first is None and last is None:
                raise InvalidDate("empty")
        except InvalidDate:
            self.result.notices.append(
                f"“date:{value}” is not a date we understand (try date:1965-03 or "
                "date:1962..1965), so it was ignored."
            )
            return
        self.result.date_text = value
        self.result.date_range = (first, last)

    def _add(self, item: Item | None, negated: bool) -> None:
        if item is None:  # nothing searchable in it (punctuation only): skip quietly
            if self.pending_or:
                raise _Malformed("OR needs a word on each side")
            return
        if negated:
            if self.pending_or:
                raise _Malformed("a negated word cannot be part of OR")
            self.result.excluded.append(item)
        elif self.pending_or:
            self.result.clauses[-1].append(item)
            self.pending_or = False
        else:
            self.result.clauses.append([item])


def _word_item(chunk: str, field_name: str | None) -> Item | None:
    """A word (or hyphenated compound, matched as a phrase), or a prefix ending in '*'."""
    if "*" not in chunk:
        terms = tuple(query_terms(chunk))
        return Item(text=chunk, terms=terms, field=field_name) if terms else None
    if chunk.count("*") > 1 or not chunk.endswith("*"):
        raise _Malformed("'*' may only end a word")
    stem = chunk[:-1]
    words = TOKEN_RE.findall(stem)
    if not words or not stem[-1:].isalnum():
        raise _Malformed("'*' must follow a word")
    last = words[-1]
    if CJK_RE.match(last) or len(last) < MIN_PREFIX_CHARS:
        raise _Malformed(f"a prefix needs at least {MIN_PREFIX_CHARS} letters before '*'")
    before = stem[: stem.rfind(last)]
    prefix = prefix_term(last)
    if not prefix:
        raise _Malformed("'*' must follow a word")
    return Item(text=chunk, terms=tuple(query_terms(before)), field=field_name, prefix=prefix)
