"""The query language, parsed leniently into plain data: a tree of AND, OR and NOT over items.

    words (ANDed) · "exact phrase" · a OR b · a AND b · NOT a · -a · ( … ) · prefix* ·
    title: person: place: subject: collection: type: lang: archive: (word or "phrase") ·
    date:1962..1965 · date:1965-03

AND, OR and NOT are operators only in capitals: "war and peace" searches three words.
Precedence, tightest first: NOT (and `-`), AND, OR, then the space between neighbours (an
AND that binds loosest, as before there were operators): `Kosygin OR Mao Vietnam` means
(Kosygin OR Mao) AND Vietnam; `Kosygin OR Mao AND Vietnam` means Kosygin OR (Mao AND Vietnam).

Anything the grammar cannot read (unbalanced quotes or parentheses, an operator without its
words, engine syntax such as brackets or `^`, control characters, an unknown field, too
many parts or too deep a nesting, an over-long query) is searched as plain words instead,
with a notice saying why and what was ignored. `parse_query` never raises.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass

from declassified.search.language.analysis import TOKEN_RE, query_terms
from declassified.search.language.grammar import (
    MAX_DEPTH,
    MAX_ITEMS,
    OPERATORS,
    And,
    Item,
    Malformed,
    Node,
    Not,
    Or,
    parse_tree,
)

__all__ = ["MAX_DEPTH", "MAX_ITEMS", "MAX_QUERY_CHARS", "And", "Item", "Node", "Not", "Or",
           "ParsedQuery", "describe", "parse_query", "plain_words", "replace_words"]

MAX_QUERY_CHARS = 1000
# What the plain-words reading drops and names in its notice: the operators, and the
# characters that carry the syntax.
_IGNORED_CHARS = '"()[]{}^~\\!&|+<>=*'


@dataclass
class ParsedQuery:
    """The words to match as a tree (None: no words), and the query's date range."""

    tree: Node | None = None
    text: str = ""  # what was parsed: the items' spans point into it
    date_text: str | None = None  # from date:…, as "A..B" or "A"
    date_range: tuple | None = None  # (DocumentDate, DocumentDate)
    notices: list[str] = dataclasses.field(default_factory=list)
    plain_words: bool = False

    @property
    def is_empty(self) -> bool:
        return self.tree is None

    def items(self) -> list[Item]:
        """Every item, negated ones included, in the order written."""
        return list(_items(self.tree, negated_too=True))

    def positive_items(self) -> list[Item]:
        """The items not under a NOT: what a match shows (highlighting marks only these)."""
        return list(_items(self.tree, negated_too=False))

    def describe(self) -> str:
        """The tree written out with explicit operators and parentheses."""
        return describe(self.tree) if self.tree is not None else ""


def _items(node: Node | None, negated_too: bool):
    if node is None:
        return
    if isinstance(node, Item):
        yield node
    elif isinstance(node, Not):
        if negated_too:
            yield from _items(node.part, negated_too)
    else:
        for part in node.parts:
            yield from _items(part, negated_too)


def describe(node: Node) -> str:
    if isinstance(node, Item):
        text = f'"{node.text}"' if any(c.isspace() for c in node.text) else node.text
        return f"{node.field}:{text}" if node.field else text
    if isinstance(node, Not):
        inner = describe(node.part)
        return f"NOT ({inner})" if isinstance(node.part, And | Or) else f"NOT {inner}"
    joiner = " AND " if isinstance(node, And) else " OR "
    return joiner.join(f"({describe(p)})" if isinstance(p, And | Or) else describe(p)
                       for p in node.parts)


def parse_query(text: str | None) -> ParsedQuery:
    """Parse a query; malformed input falls back to plain words with a notice."""
    text = text or ""
    if not text.strip():
        return ParsedQuery()
    try:
        reason = _precheck(text)
        if reason:
            raise Malformed(reason)
        tree, date = parse_tree(text)
    except Malformed as problem:
        return plain_words(text, reason=str(problem))
    parsed = ParsedQuery(tree=tree, text=text)
    if date is not None:
        parsed.date_text, parsed.date_range, notice = date
        if notice:
            parsed.notices.append(notice)
    return parsed


def _precheck(text: str) -> str | None:
    if len(text) > MAX_QUERY_CHARS:
        return f"it is longer than {MAX_QUERY_CHARS} characters"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") and c not in "\t\n\r" for c in text):
        return "it contains control characters"
    return None


def plain_words(text: str, reason: str) -> ParsedQuery:
    """Every word of `text`, ANDed, ignoring all syntax; the notice says why and what was
    ignored."""
    cleaned = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    matches = list(TOKEN_RE.finditer(cleaned))
    # A stray operator was not meant as a word ("Kosygin OR" searches for Kosygin).
    operators = [op for op in dict.fromkeys(m.group() for m in matches) if op in OPERATORS]
    matches = [m for m in matches if m.group() not in OPERATORS] or matches
    notices = [f"Your search was read as plain words because {reason}."]
    kept = {m.group() for m in matches}
    ignored = [*(op for op in operators if op not in kept),
               *(c for c in _IGNORED_CHARS if c in cleaned)]
    if ignored:
        notices.append("Ignored: " + ", ".join(f"“{one}”" for one in ignored) + ".")
    if len(matches) > MAX_ITEMS:
        notices.append(f"Only the first {MAX_ITEMS} words were searched.")
        matches = matches[:MAX_ITEMS]
    parts: list[Node] = []
    for match in matches:
        terms = tuple(query_terms(match.group()))
        if terms:
            parts.append(Item(text=match.group(), terms=terms, span=match.span()))
    tree = None if not parts else parts[0] if len(parts) == 1 else And(tuple(parts))
    return ParsedQuery(tree=tree, text=text, notices=notices, plain_words=True)


def replace_words(text: str, replacements: dict[tuple[int, int], str]) -> str:
    """`text` with the characters at each (start, end) span replaced (spans of Items)."""
    for (start, end), word in sorted(replacements.items(), reverse=True):
        text = text[:start] + word + text[end:]
    return text
