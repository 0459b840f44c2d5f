"""The grammar of the query language (language/query.py describes it): the query text as
tokens, then a tree of And, Or and Not over Items by recursive descent.

Every way to go wrong raises Malformed with a reason a reader can act on; query.py turns it
into a plain-words search. The work is bounded: the text is at most 1,000 characters
(checked before), parentheses nest at most MAX_DEPTH deep (so the recursion is bounded) and
the tree holds at most MAX_ITEMS items (each becomes engine clauses: the query's cost).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from declassified.archive.dates import InvalidDate, parse_document_date
from declassified.search.language.analysis import CJK_RE, TOKEN_RE, prefix_term, query_terms
from declassified.search.vocabulary import QUERY_FIELDS

MAX_ITEMS = 32
MAX_DEPTH = 8  # parentheses within parentheses
MIN_PREFIX_CHARS = 2
OPERATORS = ("AND", "OR", "NOT")  # in capitals only: "war and peace" is three words
_SYNTAX_CHARS = set("[]{}^~\\!&|+<>=")
_CHUNK_RE = re.compile(r'[^\s"()]+')


class Malformed(Exception):
    """The query cannot be read; the message says why (after "because")."""


@dataclass(frozen=True)
class Item:
    """One thing to match: a word, a phrase or a prefix, in all text fields or one field."""

    text: str
    terms: tuple[tuple[int, str], ...]  # (position, term) to match as a phrase
    field: str | None = None  # one of QUERY_FIELDS, or None for all text fields
    prefix: str | None = None  # folded prefix matched after `terms`
    # Where the word stands in the query text (a field's value only): what a spelling
    # suggestion replaces. Not part of what the item means.
    span: tuple[int, int] | None = dataclasses.field(default=None, compare=False)


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    part: Node


Node = Item | And | Or | Not
DateReading = tuple  # (date text or None, (first, last) or None, notice or None)


@dataclass(frozen=True)
class _Date:
    """A date: filter where it was written; lifted out of the tree after parsing."""

    reading: DateReading


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", AND, OR, NOT, "-", "item" or "date"
    value: object = None  # the Item (None: nothing searchable) or the DateReading


def parse_tree(text: str) -> tuple[Node | None, DateReading | None]:
    """The tree of `text` and its date: reading (the last, if several); raises Malformed."""
    parser = _Parser(_tokens(text))
    tree = parser.parse()
    dates: list[DateReading] = []
    tree = _lift_dates(tree, dates, conjunctive=True)
    if tree is not None and _count_items(tree) > MAX_ITEMS:
        raise Malformed(f"it has more than {MAX_ITEMS} parts")
    return tree, (dates[-1] if dates else None)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return tokens
        if text[pos] in "()":
            tokens.append(_Token(text[pos]))
            pos += 1
            continue
        negated = text[pos] == "-"
        if negated:
            following = text[pos + 1 : pos + 2]
            if not following or following.isspace() or following == "-":
                raise Malformed("a '-' stands alone")
            tokens.append(_Token("-"))
            pos += 1
            if following in "()":
                continue
        if text[pos] == '"':
            item, pos = _phrase(text, pos, None)
            tokens.append(_Token("item", item))
            continue
        match = _CHUNK_RE.match(text, pos)
        # spaces, parentheses and quotes were handled above: at least one character matches
        assert match is not None
        chunk = match.group()
        if chunk in OPERATORS and not negated:  # -OR excludes the word "or"
            tokens.append(_Token(chunk))
            pos = match.end()
            continue
        token, pos = _chunk_token(text, pos, chunk)
        tokens.append(token)


def _phrase(text: str, pos: int, field_name: str | None) -> tuple[Item | None, int]:
    end = text.find('"', pos + 1)
    if end < 0:
        raise Malformed("a quotation mark is not closed")
    phrase = text[pos + 1 : end]
    terms = tuple(query_terms(phrase))
    item = Item(text=phrase, terms=terms, field=field_name, span=(pos + 1, end)) if terms else None
    return item, end + 1


def _chunk_token(text: str, start: int, chunk: str) -> tuple[_Token, int]:
    """The token of a run of characters up to a space, quote or parenthesis."""
    end = start + len(chunk)
    if any(c in _SYNTAX_CHARS for c in chunk):
        raise Malformed("it contains characters with a special meaning in other engines")
    name, colon, value = chunk.partition(":")
    if colon and name.casefold() in (*QUERY_FIELDS, "date"):
        field_name = name.casefold()
        if field_name == "date":
            return _Token("date", _read_date(value)), end
        if value:
            return _Token("item", _word_item(value, field_name, (end - len(value), end))), end
        if text[end : end + 1] != '"':
            raise Malformed(f"'{name}:' has nothing after it")
        item, end = _phrase(text, end, field_name)
        return _Token("item", item), end
    if colon and name and TOKEN_RE.fullmatch(name) and not value:
        raise Malformed(f"'{name}:' has nothing after it")
    if colon and name.isalpha() and value and name.isascii():
        raise Malformed(f"'{name}:' is not a field we know")
    return _Token("item", _word_item(chunk, None, (start, end))), end


def _read_date(value: str) -> DateReading:
    start, dots, end = value.partition("..")
    try:
        first = parse_document_date(start) if start else None
        last = (parse_document_date(end) if end else None) if dots else first
        if first is None and last is None:
            raise InvalidDate("empty")
    except InvalidDate:
        return (None, None, f"“date:{value}” is not a date we understand (try date:1965-03 "
                            "or date:1962..1965), so it was ignored.")
    return (value, (first, last), None)


def _word_item(chunk: str, field_name: str | None, span: tuple[int, int]) -> Item | None:
    """A word (or hyphenated compound, matched as a phrase), or a prefix ending in '*'."""
    if "*" not in chunk:
        terms = tuple(query_terms(chunk))
        return Item(text=chunk, terms=terms, field=field_name, span=span) if terms else None
    if chunk.count("*") > 1 or not chunk.endswith("*"):
        raise Malformed("'*' may only end a word")
    stem = chunk[:-1]
    words = TOKEN_RE.findall(stem)
    if not words or not stem[-1:].isalnum():
        raise Malformed("'*' must follow a word")
    last = words[-1]
    if CJK_RE.match(last) or len(last) < MIN_PREFIX_CHARS:
        raise Malformed(f"a prefix needs at least {MIN_PREFIX_CHARS} letters before '*'")
    before = stem[: stem.rfind(last)]
    prefix = prefix_term(last)
    if not prefix:
        raise Malformed("'*' must follow a word")
    return Item(text=chunk, terms=tuple(query_terms(before)), field=field_name, prefix=prefix,
                span=span)


class _Parser:
    """Recursive descent, loosest first: a sequence of neighbours (ANDed) of disjunctions
    (OR) of conjunctions (AND) of negations (NOT, -) of a primary: an item, a date or a
    parenthesised sequence. A part with nothing searchable (punctuation) is None."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.next = 0

    def parse(self):
        tree = self._sequence(0)
        if self._peek() == ")":
            raise Malformed("a closing parenthesis has no opening one")
        return tree

    def _peek(self) -> str | None:
        return self.tokens[self.next].kind if self.next < len(self.tokens) else None

    def _take(self) -> _Token:
        self.next += 1
        return self.tokens[self.next - 1]

    def _sequence(self, depth: int):
        parts = []
        while self._peek() not in (None, ")"):
            parts.append(self._disjunction(depth))
        return _joined(And, parts)

    def _disjunction(self, depth: int):
        parts = [self._conjunction(depth, after=None)]
        while self._peek() == "OR":
            self._take()
            parts.append(self._conjunction(depth, after="OR"))
        if len(parts) > 1 and any(part is None for part in parts):
            raise Malformed("OR needs a word on each side")
        return _joined(Or, parts)

    def _conjunction(self, depth: int, after: str | None):
        parts = [self._negation(depth, after)]
        while self._peek() == "AND":
            self._take()
            parts.append(self._negation(depth, "AND"))
        return _joined(And, parts)

    def _negation(self, depth: int, after: str | None):
        negated = False
        while self._peek() in ("NOT", "-"):  # a loop, not recursion: NOT NOT … is bounded
            after = self._take().kind
            negated = not negated
        part = self._primary(depth, after)
        return Not(part) if negated and part is not None else part

    def _primary(self, depth: int, after: str | None):
        kind = self._peek()
        if kind in (None, ")", "AND", "OR"):
            raise Malformed(_missing_word(after, kind))
        token = self._take()
        if token.kind == "(":
            if depth >= MAX_DEPTH:
                raise Malformed(f"parentheses are nested more than {MAX_DEPTH} deep")
            if self._peek() == ")":
                raise Malformed("a pair of parentheses is empty")
            group = self._sequence(depth + 1)
            if self._peek() != ")":
                raise Malformed("a parenthesis is not closed")
            self._take()
            return group
        if token.kind == "date":
            assert isinstance(token.value, tuple)  # a date token holds its DateReading
            return _Date(token.value)
        return token.value


def _missing_word(after: str | None, kind: str | None) -> str:
    if after in ("NOT", "-"):
        return f"{'NOT' if after == 'NOT' else repr('-')} needs a word after it"
    operator = after or kind
    if operator in ("AND", "OR"):
        return f"{operator} needs a word on each side"
    return "a parenthesis is not closed" if kind is None else "a closing parenthesis has no opening one"


def _joined(kind, parts: list):
    """One node of `kind` over `parts`, nested ones of the same kind flattened; None parts
    (nothing searchable) left out."""
    flat: list = []
    for part in parts:
        if part is None:
            continue
        flat.extend(part.parts if isinstance(part, kind) else [part])
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _lift_dates(node, dates: list[DateReading], conjunctive: bool):
    """The tree without its date: filters, which go to `dates`. A date filter narrows the
    whole search, so it may only stand where everything is ANDed."""
    if isinstance(node, _Date):
        if not conjunctive:
            raise Malformed("date: narrows the whole search, so it cannot be negated or ORed")
        dates.append(node.reading)
        return None
    if isinstance(node, And):
        return _joined(And, [_lift_dates(p, dates, conjunctive) for p in node.parts])
    if isinstance(node, Or):
        return _joined(Or, [_lift_dates(p, dates, False) for p in node.parts])
    if isinstance(node, Not):
        part = _lift_dates(node.part, dates, False)
        return Not(part) if part is not None else None
    return node


def _count_items(node: Node) -> int:
    if isinstance(node, Item):
        return 1
    if isinstance(node, Not):
        return _count_items(node.part)
    return sum(_count_items(part) for part in node.parts)
