"""The index's own spellings, for "did you mean" (suggest.py): a compact lexicon in memory,
one per index generation.

It is read from the term dictionaries, so it knows exactly the terms a search can match:
every term of the analysed text fields (stems: "negoti" for "negotiations") with the most
documents any one field has it in, and the words of the names of people, places and
subjects as the names write them ("Kosygin"), from the labels of their facet terms.

Finding the terms near a word must take well under a millisecond, so the terms are kept in
buckets by length and by their first and by their second letter. A word is compared (with
rapidfuzz's optimal string alignment distance: Damerau–Levenshtein where a transposition is
one edit) only with the terms of about its length that share its first or second letter, in
either place: a spelling is found unless both of its first two letters are wrong, which
spellers commonly assume. That is about 5 % of the terms, measured 0.3 ms at 34,000 terms
and 2 ms at 156,000.

Reading the dictionaries costs tens of milliseconds per 10,000 terms, so the lexicon is
built when a search first needs it, and built again when a rebuild swaps in another
generation, or when commits changed the index and the lexicon is REFRESH_SECONDS old (a
busy indexer commits every few seconds; a spelling missing for half a minute is harmless,
and every suggestion is checked against the live index anyway).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from declassified.search.engine.schema import LABEL_SEPARATOR
from declassified.search.language.analysis import TOKEN_RE, term_of
from declassified.search.vocabulary import ID_FACETS, TEXT_FIELDS

REFRESH_SECONDS = 30.0
MIN_TERM_CHARS = 3
MAX_TERM_CHARS = 30
# The most frequent terms read from each field: bounds the lexicon's memory (about 100
# bytes a term) and building time on an archive with a huge OCR vocabulary of misreadings.
MAX_TERMS_PER_FIELD = 300_000
NAME_FACETS = ("person", "place", "subject")


@dataclass
class Lexicon:
    frequency: dict[str, int] = field(default_factory=dict)  # term → documents (most in a field)
    spelling: dict[str, str] = field(default_factory=dict)  # term → a name's word ("Kosygin")
    buckets: dict[tuple[int, str, int], list[str]] = field(default_factory=dict)

    def add(self, term: str, documents: int) -> None:
        if not (MIN_TERM_CHARS <= len(term) <= MAX_TERM_CHARS and term.isalpha()):
            return
        known = self.frequency.get(term)
        if known is None:
            for place in (0, 1):
                self.buckets.setdefault((place, term[place], len(term)), []).append(term)
        if known is None or documents > known:
            self.frequency[term] = documents

    def nearest(self, term: str, max_distance: int) -> list[tuple[str, int]]:
        """(term, distance) of the terms within `max_distance` edits of `term` (not itself),
        nearest first, the more frequent first among equally near."""
        if len(term) < 2:
            return []
        found: dict[str, int] = {}
        letters = set(term[:2])
        for length in range(len(term) - max_distance, len(term) + max_distance + 1):
            for key in {(place, letter, length) for place in (0, 1) for letter in letters}:
                choices = self.buckets.get(key)
                if choices:
                    for choice, distance, _ in process.extract(
                            term, choices, scorer=OSA.distance, score_cutoff=max_distance,
                            limit=None):
                        found[choice] = distance
        found.pop(term, None)
        return sorted(found.items(), key=lambda pair: (pair[1], -self.frequency[pair[0]], pair[0]))


def build_lexicon(searcher) -> Lexicon:
    """The lexicon of what `searcher` sees (reads every text field's term dictionary)."""
    lexicon = Lexicon()
    for name in TEXT_FIELDS:
        for term, documents in searcher.terms_with_prefix(name, "", limit=MAX_TERMS_PER_FIELD):
            lexicon.add(term, documents)
    for facet in NAME_FACETS:
        labels = searcher.terms_with_prefix(ID_FACETS[facet][1], "", limit=MAX_TERMS_PER_FIELD)
        for label, documents in labels:
            for word in TOKEN_RE.findall(label.partition(LABEL_SEPARATOR)[2]):
                term = term_of(word)
                lexicon.add(term, documents)
                if term in lexicon.frequency:
                    lexicon.spelling.setdefault(term, word)
    return lexicon


@dataclass
class _Built:
    generation: tuple
    lexicon: Lexicon
    at: float


_built: dict[str, _Built] = {}
_lock = threading.Lock()


def lexicon_for(live, searcher) -> Lexicon:
    """The lexicon of the live index `live` (see the module's note on when it is rebuilt);
    builds it, under a lock, when needed."""
    with _lock:
        built = _built.get("live")
        if built is None or _outdated(built, live.generation):
            built = _built["live"] = _Built(live.generation, build_lexicon(searcher),
                                            time.monotonic())
        return built.lexicon


def _outdated(built: _Built, generation: tuple) -> bool:
    if built.generation == generation:
        return False
    if built.generation[0] != generation[0]:  # another generation: its terms may differ wholly
        return True
    return time.monotonic() - built.at >= REFRESH_SECONDS


def forget_lexicon() -> None:
    """Drop the lexicon (tests that change the index and need its new words at once)."""
    with _lock:
        _built.clear()
