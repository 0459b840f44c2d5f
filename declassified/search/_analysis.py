"""Text analysis shared by indexing, querying and highlighting.

The same function turns document text and query text into index terms, so the two always
agree. The analyser is chosen per word by its script, which for this archive coincides with
the text's language:

- Latin script: case-folded, diacritics folded, English Snowball stem (PyStemmer).
- Cyrillic: case-folded, ё → е, Russian Snowball stem.
- Han, kana, hangul: each character and each pair of neighbouring characters, interleaved
  ("ABC" → A AB B BC C), so one- and two-character queries and longer phrases all match
  without a dictionary.
- Digits and other scripts: case-folded and diacritics folded, unstemmed.

Terms are joined with spaces and indexed with Tantivy's whitespace tokenizer, which keeps
our positions. Because of that a term must never contain whitespace.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import Stemmer

# Ranges of scripts written without spaces, indexed as characters and bigrams.
_CJK = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\uac00-\ud7af"  # hangul syllables
)
# A word: letters/digits (not underscore, not CJK), with inner apostrophes (Kosygin's).
_WORD = rf"[^\W_{_CJK}]+(?:['’][^\W_{_CJK}]+)*"
TOKEN_RE = re.compile(rf"[{_CJK}]+|{_WORD}")
CJK_RE = re.compile(rf"[{_CJK}]")
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")

# Put between separately written values (two names, two texts) so a phrase cannot match
# across them; the analyser never produces it from text.
SEPARATOR = "¦"
MAX_WORD_LENGTH = 60

_english = Stemmer.Stemmer("english")
_russian = Stemmer.Stemmer("russian")


def fold(word: str) -> str:
    """Case-fold and drop diacritics (é → e, ü → u), ё → е; й and Cyrillic letters stay."""
    word = word.casefold().replace("’", "'")
    if word.isascii():
        return word
    word = word.replace("ё", "е")
    if _CYRILLIC_RE.search(word):
        return unicodedata.normalize("NFC", word)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=500_000)
def word_terms(token: str) -> str:
    """The index term(s) for one token of TOKEN_RE, space-separated (CJK runs give several)."""
    if CJK_RE.match(token):
        return " ".join(cjk_terms(token))
    if len(token) > MAX_WORD_LENGTH:
        token = token[:MAX_WORD_LENGTH]
    folded = fold(token)
    if _CYRILLIC_RE.search(folded):
        return _russian.stemWord(folded)
    if folded.isascii() and not folded.isdigit():
        return _english.stemWord(folded)
    return folded


def cjk_terms(run: str) -> list[str]:
    """Characters and neighbouring pairs, interleaved: positions stay comparable for phrases."""
    terms: list[str] = []
    for i, char in enumerate(run):
        terms.append(char)
        if i + 1 < len(run):
            terms.append(run[i : i + 2])
    return terms


def analyze(text: str) -> list[str]:
    """Index terms of `text` in order; the list index is the term's position."""
    return analyze_for_index(text).split()


# ASCII text (most English translations) takes a faster path with the same result: TOKEN_RE
# restricted to ASCII is this pattern, and word_terms case-folds anyway.
_ASCII_TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
_ascii_terms: dict[str, str] = {}


def analyze_for_index(text: str) -> str:
    """The terms of `text` as one whitespace-separated string for the whitespace tokenizer."""
    if not text.isascii():
        return " ".join(map(word_terms, TOKEN_RE.findall(text)))
    if len(_ascii_terms) > 1_000_000:
        _ascii_terms.clear()
    cache = _ascii_terms
    return " ".join([
        cache.get(word) or cache.setdefault(word, word_terms(word))
        for word in _ASCII_TOKEN_RE.findall(text.lower())
    ])


def join_values(values: list[str]) -> str:
    """Analyse several separate values (names, texts) into one field, phrases kept apart."""
    return f" {SEPARATOR} ".join(analyze_for_index(v) for v in values if v)


def query_terms(text: str) -> list[tuple[int, str]]:
    """(position, term) pairs to match `text` as a phrase, with minimal terms.

    Within a CJK run of two or more characters only the pairs are needed: a pair occurs in
    the index exactly where both its characters do. A single character stays a character.
    """
    result: list[tuple[int, str]] = []
    position = 0
    for token in TOKEN_RE.findall(text):
        terms = word_terms(token).split()
        if len(terms) > 1:  # a CJK run: pairs sit at odd offsets
            result.extend((position + i, t) for i, t in enumerate(terms) if i % 2 == 1)
        else:
            result.extend((position + i, t) for i, t in enumerate(terms))
        position += len(terms)
    return result
