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
spellers commonly assume. That is 5–20 % of the terms (more in a vocabulary of few
syllables, like the bench's): a look-up measured 0.3–1.7 ms at 30,000–34,000 terms on the
shared development machine.

Reading the dictionaries is slower (measured 0.5–0.9 s for 30,000 terms on that machine at
a load average of 15), so the lexicon is built when a search first needs it, and again
when a rebuild swaps in another generation; when commits changed the index and the lexicon
is REFRESH_SECONDS old, it is rebuilt in the background while searches go on with the old
one (a busy indexer commits every few seconds; a
spelling missing for half a minute is harmless, and every suggestion is checked against the
live index anyway).
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

    def nearest(self, term: str, max_distance: int, more_than: int = 0) -> list[tuple[str, int]]:
        """(term, distance) of the nearest terms (not `term` itself) within `max_distance`
        edits and in more than `more_than` documents: those one edit away if any, else two,
        …; the more frequent first. Stopping
        at the first distance that finds some halves the usual cost (most misspellings are
        one edit), and a farther term would rank below them anyway."""
        for distance in range(1, max_distance + 1):
            found = {t: d for t, d in self._within(term, distance).items()
                     if self.frequency[t] > more_than}
            if found:
                return sorted(((t, d) for t, d in found.items()),
                              key=lambda pair: (pair[1], -self.frequency[pair[0]], pair[0]))
        return []

    def _within(self, term: str, distance: int) -> dict[str, int]:
        if len(term) < 2:
            return {}
        found: dict[str, int] = {}
        keys = {(place, letter) for place in (0, 1) for letter in term[:2]}
        for length in range(len(term) - distance, len(term) + distance + 1):
            for place, letter in keys:
                choices = self.buckets.get((place, letter, length))
                if choices:
                    for choice, edits, _ in process.extract(
                            term, choices, scorer=OSA.distance, score_cutoff=distance,
                            limit=None):
                        found[choice] = edits
        found.pop(term, None)
        return found


def _usable(term: str) -> bool:
    return MIN_TERM_CHARS <= len(term) <= MAX_TERM_CHARS and term.isalpha()


def build_lexicon(searcher) -> Lexicon:
    """The lexicon of what `searcher` sees (reads every text field's term dictionary and
    the name facets' labels; most of the time is spent here in Python)."""
    frequency: dict[str, int] = {}
    for name in TEXT_FIELDS:
        for term, documents in searcher.terms_with_prefix(name, "", limit=MAX_TERMS_PER_FIELD):
            if documents > frequency.get(term, 0):
                frequency[term] = documents
    spelling: dict[str, str] = {}
    for facet in NAME_FACETS:
        labels = searcher.terms_with_prefix(ID_FACETS[facet][1], "", limit=MAX_TERMS_PER_FIELD)
        for label, documents in labels:
            for word in TOKEN_RE.findall(label.partition(LABEL_SEPARATOR)[2]):
                term = term_of(word)
                if documents > frequency.get(term, 0):
                    frequency[term] = documents
                spelling.setdefault(term, word)
    lexicon = Lexicon({t: n for t, n in frequency.items() if _usable(t)})
    lexicon.spelling = {t: w for t, w in spelling.items() if t in lexicon.frequency}
    for term in lexicon.frequency:
        for place in (0, 1):
            lexicon.buckets.setdefault((place, term[place], len(term)), []).append(term)
    return lexicon


@dataclass
class _Built:
    generation: tuple
    lexicon: Lexicon
    at: float
    refreshing: bool = False


_built: dict[str, _Built] = {}
_lock = threading.Lock()


def lexicon_for(live, searcher) -> Lexicon:
    """The lexicon of the live index `live`: built here (under a lock) the first time and
    when another generation is live; when commits changed this one and the lexicon is
    REFRESH_SECONDS old, built again in a background thread while this search and the next
    use the one there is (a search never waits for a refresh)."""
    with _lock:
        built = _built.get("live")
        if built is None or built.generation[0] != live.generation[0]:
            built = _built["live"] = _Built(live.generation, build_lexicon(searcher),
                                            time.monotonic())
        elif _refresh_due(built, live.generation):
            built.refreshing = True
            threading.Thread(target=_refresh, args=(live.generation, searcher),
                             name="search-lexicon", daemon=True).start()
        return built.lexicon


def _refresh_due(built: _Built, generation: tuple) -> bool:
    return (built.generation != generation and not built.refreshing
            and time.monotonic() - built.at >= REFRESH_SECONDS)


def _refresh(generation: tuple, searcher) -> None:
    lexicon = None
    try:
        lexicon = build_lexicon(searcher)
    finally:
        with _lock:
            current = _built.get("live")
            # Another generation may have been built meanwhile: keep that one.
            if current is not None and current.generation[0] == generation[0]:
                if lexicon is None:  # failed: the next search past REFRESH_SECONDS retries
                    current.refreshing = False
                else:
                    _built["live"] = _Built(generation, lexicon, time.monotonic())


def forget_lexicon() -> None:
    """Drop the lexicon (tests that change the index and need its new words at once)."""
    with _lock:
        _built.clear()
