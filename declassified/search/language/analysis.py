"""Text analysis shared by indexing, querying and highlighting: Tantivy analysers.

Tantivy analyses the short fields itself, in its indexing thread. The long texts are
analysed once per distinct word by these same analysers in Python (cached, by the pair
maker: language/pairs.py) and go in as their terms (engine/schema.py PRE_ANALYSED_FIELDS).
Queries and highlighting go through the same analysers, so all of them agree. Both are
registered on every index we open (`register`).

The analysis depends on the script, which for this archive coincides with the language:

- a word is a run of letters and digits (Tantivy's simple tokenizer); each Han, kana or
  hangul character is a word of its own (`prepare` puts spaces around them, the one
  step Tantivy has no filter for), so a two-character Chinese query is a two-word phrase
  and matches exactly where the pair occurs, without a dictionary;
- then lower case, diacritics folded to ASCII (é → e, ł → l), the English Snowball stemmer
  (it leaves other scripts alone) and, in MULTILINGUAL, the Russian Snowball stemmer (it
  leaves Latin alone, and folds ё to е).

Stemming is most of the cost of indexing, and the Russian stemmer changes nothing in a
text without Cyrillic letters, so texts without any (nearly all of them) go to a body
field analysed with ENGLISH only, and the others to one analysed with MULTILINGUAL: every
word gets exactly the terms MULTILINGUAL would give it, wherever it is indexed. Short
fields (titles, names) use MULTILINGUAL. A query is analysed with MULTILINGUAL for every
field: for words without Cyrillic letters the two agree, and words with them can only
match in fields that were analysed with MULTILINGUAL.

Separate values of one field (two names, two texts) are added as separate values: Tantivy
leaves a position gap between them, so a phrase never matches across them.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import tantivy

ENGLISH = "english_words"
MULTILINGUAL = "multilingual"
# Ranges of scripts written without spaces, indexed one character per word.
CJK_CHARS = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\uac00-\ud7af"  # hangul syllables
)
# Words as the query parser and the highlighter see them (the analysers split them further
# at apostrophes: don't → don, t).
_WORD = rf"[^\W_{CJK_CHARS}]+(?:['’][^\W_{CJK_CHARS}]+)*"
TOKEN_RE = re.compile(rf"[{CJK_CHARS}]+|{_WORD}")
CJK_RE = re.compile(rf"[{CJK_CHARS}]")
CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_CJK_CHAR_RE = re.compile(rf"([{CJK_CHARS}])")
# Longer tokens (base64 blobs, runs of digits) are dropped rather than indexed.
MAX_TOKEN_BYTES = 100


def _build(*stemmers: str) -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    for one in (tantivy.Filter.remove_long(MAX_TOKEN_BYTES), tantivy.Filter.lowercase(),
                # Kosygin's is kosygin + s: dropping the s leaves kosygin, as the stemmers
                # would, and a position gap that the same analysis of a query reproduces.
                tantivy.Filter.custom_stopword(["s"]),
                tantivy.Filter.ascii_fold(), *map(tantivy.Filter.stemmer, stemmers)):
        builder = builder.filter(one)
    return builder.build()


_analyzers = {ENGLISH: _build("english"), MULTILINGUAL: _build("english", "russian")}
_multilingual = _analyzers[MULTILINGUAL]
_folder = _build()  # prefixes are matched against terms unstemmed


def analyzer(name: str) -> tantivy.TextAnalyzer:
    """The analyser called `name` (ENGLISH or MULTILINGUAL), for analysing in Python."""
    return _analyzers[name]


def register(index: tantivy.Index) -> tantivy.Index:
    """Make the analysers known to `index` (needed on every open, before writing)."""
    for name, analyzer in _analyzers.items():
        index.register_tokenizer(name, analyzer)
    return index


def prepare(text: str) -> str:
    """The text as the analysers must receive it: spaces around CJK characters."""
    if text.isascii() or not CJK_RE.search(text):
        return text
    return _CJK_CHAR_RE.sub(r" \1 ", text)


def has_cyrillic(text: str) -> bool:
    return not text.isascii() and CYRILLIC_RE.search(text) is not None


def query_terms(text: str) -> list[tuple[int, str]]:
    """(position, term) pairs that match `text` as a phrase, positions as indexed."""
    tokens = _multilingual.pre_tokenize(prepare(text)).tokens
    if not tokens:
        return []
    first = tokens[0].position
    return [(token.position - first, token.text) for token in tokens]


@functools.lru_cache(maxsize=100_000)
def term_of(word: str) -> str:
    """The term a word (of TOKEN_RE, not CJK) is marked for: its first index term, so
    don't (don, t) is marked for don; "" when it has none."""
    terms = _multilingual.analyze(word)
    return terms[0] if terms else ""


@functools.lru_cache(maxsize=10_000)
def prefix_term(word: str) -> str:
    """A word as a prefix is matched against index terms: folded, not stemmed (its last
    term, should the analyser split it)."""
    terms = _folder.analyze(prepare(word))
    return terms[-1] if terms else ""


def highlight_terms(text: str) -> set[str]:
    """What to mark for a query text: index terms of its words; for a run of Chinese
    characters its neighbouring pairs (or the character alone), so only the run is
    marked, not every occurrence of each of its characters."""
    terms: set[str] = set()
    for token in TOKEN_RE.findall(text):
        if CJK_RE.match(token):
            pairs = {token[i : i + 2] for i in range(len(token) - 1)}
            terms |= pairs or {token}
        elif term_of(token):
            terms.add(term_of(token))
    return terms


def fold(word: str) -> str:
    """Case-fold and drop diacritics (é → e, ü → u), ё → е; й and Cyrillic stay (sort keys)."""
    word = word.casefold().replace("’", "'")
    if word.isascii():
        return word
    word = word.replace("ё", "е")
    if CYRILLIC_RE.search(word):
        return unicodedata.normalize("NFC", word)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
