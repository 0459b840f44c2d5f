"""Word pairs ("common grams") that make phrases of common words fast.

A phrase is matched by comparing the positions of its words in every document holding all
of them. For two words found in nearly every document ("of the") that is nearly every
document, with many positions each: 100+ ms at 100k documents, most of a second at 1M. So
the long text fields get a twin (vocabulary.PAIR_FIELDS) holding, as single terms, each pair of
neighbouring words of which one is a *common term* and the other a *partner* (a term in at
least PARTNER_SHARE of the documents; every common term is one); a phrase whose neighbouring
words are such pairs is then looked up as terms, in the time of a word query. A common word
beside a rarer one needs no pair: the phrase query reads positions only in the few documents
holding the rarer word (under PARTNER_SHARE of them). Pairing a common term with every word
made an index 1.32 times the plain one at 100,000 documents, most of the excess the pair
fields' postings and term dictionaries; with partners it is 1.15 (docs/performance.md).

The common terms are chosen per index generation, from a sample of the documents at the
time the generation starts empty (a rebuild, or the first documents of a new archive:
indexing/sampling.py), and saved beside the index (engine/common_terms.py). Queries use the
list of the generation they read, so index and queries always agree; `declassified
reindex` chooses afresh. A term is common when it is in at least COMMON_SHARE of the
sampled documents (at most MAX_COMMON terms), a partner when in PARTNER_SHARE (at most
MAX_PARTNERS). A generation saved before partners existed has none on file: any word is a
partner there (PairTerms.partners None), as it was indexed.

Pairs are made here, in Python, because Tantivy has no filter that makes them: the text is
split as Tantivy's simple tokenizer splits it (runs of letters and digits; each CJK
character on its own, as `prepare` arranges), and each distinct word is analysed once by
the index's own analyser (cached), so a pair is made of exactly the terms the phrase query
would compare. Tokens the analyser drops (the stop word "s", over-long tokens) leave a
position gap in the index, so no pair is made across them either.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import and_, or_

from declassified.search.language.analysis import CJK_CHARS, MULTILINGUAL, analyzer, prepare

PAIR_SEPARATOR = "_"  # never inside a term: the tokenizer splits words at it
GAP = "_"  # where a pre-analysed text had a word the analyser drops: a position, no term
COMMON_SHARE = 0.15
MAX_COMMON = 1000
PARTNER_SHARE = 0.05
MAX_PARTNERS = 30_000
_TOKEN_RE = re.compile(rf"[{CJK_CHARS}]|[^\W_{CJK_CHARS}]+")
_CACHE_LIMIT = 500_000
# ASCII bytes that are not letters or digits, as spaces.
_ASCII_SPACES = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + bytes(128)


class _TermCache(dict):
    """Surface word → its one index term ("" when the analyser drops or splits it)."""

    def __init__(self) -> None:
        super().__init__()
        self._analyzer = analyzer(MULTILINGUAL)

    def __missing__(self, word: str) -> str:
        terms = self._analyzer.analyze(word)
        term = terms[0] if len(terms) == 1 else ""
        if len(self) > _CACHE_LIMIT:
            self.clear()
        self[word] = term
        return term


@dataclass(frozen=True)
class PairTerms:
    """The terms of one index generation's pairs: a pair is made of a common term and a
    partner (`partners` None: of a common term and any term, as generations saved before
    partners were indexed)."""

    common: frozenset[str] = frozenset()
    partners: frozenset[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.common)

    def paired(self, a: str, b: str) -> bool:
        """Whether the neighbouring terms a, b are indexed as a pair."""
        if self.partners is None:
            return a in self.common or b in self.common
        return (a in self.common and b in self.partners) or (b in self.common and a in self.partners)


NO_PAIRS = PairTerms()


class PairMaker:
    """Makes the pair terms of texts, for one generation's PairTerms."""

    def __init__(self, terms: PairTerms) -> None:
        self.terms = terms
        self.common = terms.common
        self._terms = _TermCache()
        self._lefts = _LeftCache()

    def __bool__(self) -> bool:
        return bool(self.common)

    def pair_text(self, values: Iterable[str]) -> str:
        """The pair terms of some values of one field, separated by spaces (the pair
        fields are split at whitespace). No pair spans two values."""
        return "".join([self._pairs(self._terms_of(value)) for value in values if value])

    def analysed(self, values: Iterable[str]) -> tuple[list[str], str]:
        """Each value's index terms, separated by spaces, a word the analyser drops as GAP
        (so each term keeps its position); and the values' pair text. The texts are indexed
        so (engine/entries.py): their words are analysed here once, for both, instead of
        again by Tantivy."""
        analysed, pairs = [], []
        for value in values:
            terms = self._terms_of(value) if value else []
            analysed.append(" ".join([t or GAP for t in terms] if "" in terms else terms))
            if self.common and terms:
                pairs.append(self._pairs(terms))
        return analysed, "".join(pairs)

    def _terms_of(self, value: str) -> list[str]:
        return list(map(self._terms.__getitem__, _words(value)))

    def _pairs(self, terms: list[str]) -> str:
        # Run once per word of every text: the steps are C-level maps and one join, with no
        # string made per pair (a plain loop cost three times as much).
        flags = list(map(self.common.__contains__, terms))
        partners = self.terms.partners
        if partners is not None:  # "" (a dropped word: a gap in the index) is no partner
            fits = list(map(partners.__contains__, terms))
            wanted = map(or_, map(and_, flags, fits[1:]), map(and_, flags[1:], fits))
        elif "" in terms:  # a dropped word: no pair with it (the index has a gap there)
            kept = list(map(bool, terms))
            wanted = map(_one_common_both_kept, flags, flags[1:], kept, kept[1:])
        else:
            wanted = map(or_, flags, flags[1:])
        lefts = map(self._lefts.__getitem__, terms)
        chosen = compress(zip(lefts, terms[1:], repeat(" ")), wanted)
        return "".join(chain.from_iterable(chosen))


def _one_common_both_kept(flag_a: bool, flag_b: bool, kept_a: bool, kept_b: bool) -> bool:
    return (flag_a or flag_b) and kept_a and kept_b


class _LeftCache(dict):
    """Term → the term and the separator: the left half of its pairs."""

    def __missing__(self, term: str) -> str:
        if len(self) > _CACHE_LIMIT:
            self.clear()
        left = self[term] = term + PAIR_SEPARATOR
        return left


def _words(text: str) -> list[str]:
    """The words of a text as the simple tokenizer finds them (after `prepare`)."""
    if text.isascii():  # most texts: four C-level passes instead of a regular expression
        return text.encode().translate(_ASCII_SPACES).decode().split()
    return _TOKEN_RE.findall(text)


def phrase_pairs(terms: tuple[tuple[int, str], ...] | list, pairs: PairTerms) -> list[str]:
    """The pair terms of a phrase's (position, term) list: the neighbouring terms the index
    holds as pairs. Empty when the phrase has none."""
    return [f"{a}{PAIR_SEPARATOR}{b}"
            for (pa, a), (pb, b) in zip(terms, terms[1:], strict=False)
            if pb == pa + 1 and pairs.paired(a, b)]


def splits_like_the_index(text: str) -> bool:
    """False when `text` has combining marks: Python's word characters leave them out and
    Tantivy's keep them, so the pairs of such words may not be the index's."""
    return text.isascii() or not any(unicodedata.category(c).startswith("M") for c in text)


def choose_pair_terms(texts: Iterable[str]) -> tuple[list[str], list[str]]:
    """The common terms (in at least COMMON_SHARE of these documents' texts, each item one
    document's text; at most MAX_COMMON) and the partners (in PARTNER_SHARE; at most
    MAX_PARTNERS), most frequent first."""
    multilingual = analyzer(MULTILINGUAL)
    frequency: Counter[str] = Counter()
    documents = 0
    for text in texts:
        documents += 1
        frequency.update(set(multilingual.analyze(prepare(text))))
    if not documents:
        return [], []
    ranked = frequency.most_common(MAX_PARTNERS)
    common_needed = max(2, COMMON_SHARE * documents)
    partner_needed = max(2, PARTNER_SHARE * documents)
    common = [term for term, count in ranked[:MAX_COMMON] if count >= common_needed]
    return common, [term for term, count in ranked if count >= partner_needed]
