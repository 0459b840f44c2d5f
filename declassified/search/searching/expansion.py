"""Names in all their spellings: a query that names a person or place (in any spelling the
lexicon knows, engine/name_lexicon.py) also matches the other spellings, as phrases, in text
and tags alike. The query's tree is rewritten:

    Chou En-lai  →  (Chou AND En-lai) OR "Zhou Enlai" OR "周恩来" OR …
    Peking 1960  →  (Peking OR Beijing OR Peiping OR 北京) AND 1960

Only plain words and phrases are looked up (not field filters, prefixes or what is under a
NOT), within an AND the longest run of them that spells a name first. The page says what
else was searched and offers the literal search (SearchParams.literal) instead.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from declassified.search.engine.name_lexicon import MAX_KEY_TERMS, Lexicon, load_lexicon
from declassified.search.engine.storage import LiveIndex
from declassified.search.language.analysis import query_terms
from declassified.search.language.params import SearchParams
from declassified.search.language.query import And, Item, Node, Not, Or, ParsedQuery

MAX_SPELLINGS = 8  # other spellings searched for one name
MAX_EXPANDED = 16  # in all, for the whole query: each is a phrase query more


@dataclass(frozen=True)
class Expansion:
    """The query with the other spellings ORed in, and what they are, in order."""

    parsed: ParsedQuery
    spellings: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.spellings)


def expand_names(parsed: ParsedQuery, lexicon: Lexicon) -> Expansion:
    """The query with each name it spells ORed with the name's other spellings (unchanged,
    with no spellings, when it names none)."""
    if not lexicon.keys or parsed.tree is None:
        return Expansion(parsed)
    rewriter = _Rewriter(lexicon)
    tree = rewriter.node(parsed.tree)
    if not rewriter.spellings:
        return Expansion(parsed)
    return Expansion(dataclasses.replace(parsed, tree=tree), list(dict.fromkeys(rewriter.spellings)))


def expansion_for(params: SearchParams, parsed: ParsedQuery, live: LiveIndex) -> Expansion:
    """The search's query as searched: expanded with the live generation's lexicon, unless
    `literal` asks for the words typed only."""
    if params.literal:
        return Expansion(parsed)
    return expand_names(parsed, load_lexicon(live.path))


def _plain(node: Node) -> bool:
    return isinstance(node, Item) and node.field is None and node.prefix is None


class _Rewriter:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.spellings: list[str] = []

    def node(self, node: Node) -> Node:
        if isinstance(node, Not):
            return node  # "-Peking" leaves out what it says, not Beijing too
        if isinstance(node, Item):
            return self.run([node]) or node
        if isinstance(node, Or):
            return Or(tuple(self.node(part) for part in node.parts))
        return And(self.and_parts(node.parts))

    def and_parts(self, parts: tuple[Node, ...]) -> tuple[Node, ...]:
        """The parts of an AND, each run of plain words that spells a name (the longest
        first) ORed with its other spellings."""
        result: list[Node] = []
        start = 0
        while start < len(parts):
            if not _plain(parts[start]):
                result.append(self.node(parts[start]))
                start += 1
                continue
            end = start
            while end < len(parts) and end - start < MAX_KEY_TERMS and _plain(parts[end]):
                end += 1
            for stop in range(end, start, -1):
                expanded = self.run([p for p in parts[start:stop] if isinstance(p, Item)])
                if expanded is not None:
                    result.append(expanded)
                    start = stop
                    break
            else:
                result.append(parts[start])
                start += 1
        return tuple(result)

    def run(self, items: list[Item]) -> Node | None:
        """The words `items` ORed with the other spellings of the name they spell, or None."""
        budget = MAX_EXPANDED - len(self.spellings)
        key = " ".join(term for item in items for _, term in item.terms)
        if budget <= 0 or key not in self.lexicon.keys:
            return None
        others = _other_spellings(self.lexicon.spellings(key), key)[:min(MAX_SPELLINGS, budget)]
        if not others:
            return None
        self.spellings.extend(item.text for item in others)
        typed: Node = items[0] if len(items) == 1 else And(tuple(items))
        return Or((typed, *others))


def _other_spellings(spellings: list[str], typed_key: str) -> list[Item]:
    items: dict[str, Item] = {}
    for spelling in spellings:
        terms = tuple(query_terms(spelling))
        key = " ".join(term for _, term in terms)
        if terms and key != typed_key and key not in items:
            items[key] = Item(text=spelling, terms=terms)
    return list(items.values())
