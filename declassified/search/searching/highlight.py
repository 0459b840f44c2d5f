"""Snippets and highlighted titles as safe HTML.

Everything is escaped; only our own <mark> tags are added around words whose analysed terms
the query matched. Finding candidates is one regular-expression scan for the stems' leading
letters (diacritic- and case-insensitive); each candidate is then confirmed by analysing it,
so "studies" and "studied" light up for a search for "study", but "studio" does not.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from html import escape  # Django's escape does the same, behind a slower lazy-string wrapper

from django.utils.safestring import SafeString, mark_safe

from declassified.search.language.analysis import (
    CJK_RE,
    TOKEN_RE,
    highlight_terms,
    prefix_term,
    term_of,
)
from declassified.search.language.query import ParsedQuery

SNIPPET_CHARS = 260
_LEAD_CHARS = 70
_MAX_MARKS = 40


@dataclass(frozen=True)
class Highlighter:
    terms: frozenset[str]
    prefixes: tuple[str, ...]

    @property
    def active(self) -> bool:
        return bool(self.terms or self.prefixes)

    def spans(self, text: str, limit: int = _MAX_MARKS) -> list[tuple[int, int]]:
        """(start, end) of matched words in `text`, in order, at most `limit`."""
        if not self.active:
            return []
        if text.isascii():
            return self._ascii_spans(text, limit, first_only=limit == 1)
        pattern = _candidate_pattern(self.terms, self.prefixes)
        if pattern is None:
            return []
        spans: list[tuple[int, int]] = []
        for match in pattern.finditer(text):
            word = match.group()
            if CJK_RE.match(word):
                start, end = match.span()
                # 毛泽 + 泽东 → one mark over 毛泽东
                while end < len(text) and text[end - 1 : end + 1] in self.terms:
                    end += 1
                spans.append((start, end))
            elif self._confirms(word):
                spans.append(match.span())
            if len(spans) >= limit:
                break
        return spans

    def _ascii_spans(self, text: str, limit: int, first_only: bool) -> list[tuple[int, int]]:
        """The same for ASCII text, with str.find on the lower-cased text: a regular
        expression that starts with a word boundary scans every position, ten times slower.
        With `first_only`, each lead stops at its first match (a common word occurs
        hundreds of times in a long text)."""
        lowered = text.lower()
        found: set[tuple[int, int]] = set()
        for lead in _ascii_leads(self.terms, self.prefixes):
            position = lowered.find(lead)
            while position >= 0:
                if position == 0 or not _is_word_char(lowered[position - 1]):
                    end = _ascii_word_end(lowered, position + len(lead))
                    if self._confirms(text[position:end]):
                        found.add((position, end))
                        if first_only:
                            break
                position = lowered.find(lead, position + len(lead))
        return sorted(found)[:limit]

    def _confirms(self, word: str) -> bool:
        if term_of(word) in self.terms:
            return True
        if not self.prefixes:
            return False
        folded = prefix_term(word)
        return any(folded.startswith(prefix) for prefix in self.prefixes)

    def snippet(self, text: str, width: int = SNIPPET_CHARS) -> SafeString:
        """A window of `text` around the first match, marked; its beginning if none match.
        Only the first match is looked for in the whole text; the rest in the window."""
        return self.located_snippet(text, width)[0]

    def located_snippet(self, text: str, width: int = SNIPPET_CHARS
                        ) -> tuple[SafeString, int | None]:
        """The snippet, and where in `text` its first match starts (None: nothing matched),
        so a caller that knows where parts of `text` begin can say which part it is from."""
        first = self.spans(text, limit=1)
        if not first:
            return mark_safe(escape("".join(_clip(text, 0, width)))), None
        start = _word_start(text, max(0, first[0][0] - _LEAD_CHARS))
        excerpt, ellipsis = _clip(text, start, width)
        prefix = "… " if start > 0 else ""
        return mark_safe(prefix + _mark(excerpt, self.spans(excerpt)) + ellipsis), first[0][0]

    def matched_words(self, text: str, limit: int = 5) -> list[str]:
        """The distinct words of `text` that match, in order, at most `limit`."""
        words: dict[str, str] = {}
        for start, end in self.spans(text):
            words.setdefault(text[start:end].casefold(), text[start:end])
            if len(words) >= limit:
                break
        return list(words.values())

    def mark_all(self, text: str) -> SafeString:
        """`text` escaped, with every match marked (titles)."""
        return mark_safe(_mark(text, self.spans(text)))


def highlighter_for(parsed: ParsedQuery) -> Highlighter:
    terms: set[str] = set()
    for item in parsed.positive_items():
        text = item.text
        if item.prefix is not None:  # the last word is the prefix, marked as such
            words = TOKEN_RE.findall(text)
            text = " ".join(words[:-1])
        terms |= highlight_terms(text)
    prefixes = tuple(sorted({i.prefix for i in parsed.positive_items() if i.prefix}))
    return Highlighter(frozenset(terms), prefixes)


@functools.lru_cache(maxsize=256)
def _ascii_leads(terms: frozenset[str], prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """The leading letters each matching ASCII word starts with (see _candidate_pattern)."""
    leads = {_lead(term, prefixes) for term in (*terms, *prefixes) if term.isascii()}
    # A lead that starts with another lead finds nothing new.
    return tuple(sorted(lead for lead in leads if not any(
        lead != other and lead.startswith(other) for other in leads)))


def _lead(term: str, prefixes: tuple[str, ...]) -> str:
    # Stems may end differently from the word (happi/happy): match on a shorter lead.
    return term if len(term) <= 3 or term in prefixes else term[:-1]


def _is_word_char(char: str) -> bool:
    return char.isalnum()


def _ascii_word_end(lowered: str, index: int) -> int:
    """The end of the word (letters, digits, inner apostrophes) continuing at `index`."""
    length = len(lowered)
    while index < length:
        if lowered[index].isalnum():
            index += 1
        elif lowered[index] == "'" and index + 1 < length and lowered[index + 1].isalnum():
            index += 2
        else:
            break
    return index


def _mark(text: str, spans: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    position = 0
    for start, end in spans:
        if start < position:  # overlapping CJK pairs: extend the previous mark
            continue
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def _word_start(text: str, index: int) -> int:
    """Move `index` forward to the start of a word, so the window does not begin mid-word."""
    if index == 0:
        return 0
    space = text.find(" ", index, index + 30)
    return space + 1 if space >= 0 else index


def _clip(text: str, start: int, width: int) -> tuple[str, str]:
    """text[start:start+width] cut at a space, whitespace made single spaces; and the
    ellipsis to show after it ("" when the text ends there)."""
    text_end = start + width
    if text_end >= len(text):
        return " ".join(text[start:].split()), ""
    cut = text.rfind(" ", start + width // 2, text_end)
    end = cut if cut > 0 else text_end
    return " ".join(text[start:end].split()), " …"


@functools.lru_cache(maxsize=256)
def _candidate_pattern(terms: frozenset[str], prefixes: tuple[str, ...]) -> re.Pattern | None:
    alternatives = []
    for term in sorted(terms | set(prefixes), key=len, reverse=True):
        if CJK_RE.match(term):
            alternatives.append(re.escape(term))
            continue
        lead = _lead(term, prefixes)
        letters = "".join(_letter_class(c) for c in lead)
        alternatives.append(rf"\b{letters}[^\W_]*(?:['’][^\W_]+)*")
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _letter_class(char: str) -> str:
    variants = _VARIANTS.get(char)
    if not variants:
        return re.escape(char)
    return f"[{re.escape(char)}{''.join(map(re.escape, variants))}]"


def _build_variants() -> dict[str, str]:
    """{folded letter: the letters that fold to it}, for Latin with diacritics and ё."""
    variants: dict[str, set[str]] = {"е": {"ё", "Ё"}}
    for code in range(0xC0, 0x250):
        char = chr(code)
        decomposed = unicodedata.normalize("NFKD", char.casefold())
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(base) == 1 and base != char and base.isascii():
            variants.setdefault(base, set()).add(char)
    return {key: "".join(sorted(value)) for key, value in variants.items()}


_VARIANTS = _build_variants()
