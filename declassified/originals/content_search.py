"""Search inside a document: its pages' OCR words, each hit a box on a page image.

    found = search_document(document_id, "red army")   # Found: every hit, in reading order
    hits = located_hits(found.hits[0:100])             # their boxes and snippets
    terms = complete_term(document_id, "arm")          # [(term, count)] for autocomplete

A query is words: a hit is those words consecutive on one page (a phrase may run on to the
next line). Matching ignores case and accents ("Ü" is "u", "Ё" is "е") and punctuation. Han
characters are matched one by one: Tesseract gives Chinese as words of one or a few
characters, so "中华人民" is found across word boundaries, and part of a Chinese word is boxed
by its share of the word's characters (other words are boxed whole, punctuation and all).

The boxes are the machine reading's word boxes (PageText.words, in the page's own pixels,
which are the IIIF canvas's), one box a line of the hit. An editor's correction has no boxes,
so it is not searched here (the site's search finds it).

Speed: a document's words (folded for matching, as read for snippets, and their boxes) are
kept per process, per page, keyed by the time each page was read, so a request costs one
small query (the pages' ids and reading times) and regular expressions over the cached text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from declassified.archive.control_chars import strip_control_characters
from declassified.archive.models import Page, PageText

MAX_QUERY_CHARS = 200
SNIPPET_WORDS = 6  # words of context each side of a hit
CACHED_DOCUMENTS = 16  # ~5 MB for a 500-page document
_SEPARATOR = "\x1f"  # between the cached words' texts (a control character OCR never gives)
MAX_TERMS = 20  # autocomplete answers

# Han ideographs (unified, extension A, compatibility, extensions B on): one token each.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN = re.compile(rf"[{_HAN}]|[^\W_{_HAN}]+")
_HAN_ANYWHERE = re.compile(rf"[{_HAN}]")


def cleaned_query(text: str) -> str:
    """What a reader typed, as searched and shown back: control characters (a NUL in a URL)
    dropped, runs of whitespace made one space. The caller checks MAX_QUERY_CHARS."""
    return " ".join(strip_control_characters(text).split())


def fold(text: str) -> str:
    """Lower case without accents: what matching compares."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(folded token, start, end) of `text`'s words and Han characters, spans in `text`."""
    text = unicodedata.normalize("NFC", text)
    return [(fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def query_tokens(query: str) -> list[str]:
    return [token for token, _, _ in tokens(query)]


@dataclass(frozen=True)
class PageTokens:
    """One page's tokens as one string, with where each token is in the page's words, and
    the words themselves (texts, boxes and lines) for the hits' boxes and snippets."""

    page_id: int
    number: int  # 1-based place in the document
    text: str  # folded tokens joined by single spaces
    starts: array  # offset of each token in `text`
    word: array  # index in PageText.words of each token
    span_start: array  # the token's characters within its word
    span_end: array
    word_texts: str  # the words as read, joined by _SEPARATOR
    word_boxes: array  # x, y, w, h, line of each word

    def words(self) -> list[tuple[str, int, int, int, int, int]]:
        """(text, x, y, w, h, line) of each word."""
        boxes = self.word_boxes
        return [(text, *boxes[5 * n:5 * n + 5])
                for n, text in enumerate(self.word_texts.split(_SEPARATOR))]

    @classmethod
    def of_words(cls, page_id: int, number: int, words: Sequence[Sequence]) -> PageTokens:
        parts: list[str] = []
        starts, word, span_start, span_end = array("i"), array("i"), array("H"), array("H")
        boxes, texts = array("i"), []
        offset = 0
        for index, row in enumerate(words):
            texts.append(str(row[0]).replace(_SEPARATOR, " "))
            boxes.extend(int(value) for value in (*row[1:5], row[6]))
            for token, start, end in tokens(str(row[0])):
                parts.append(token)
                starts.append(offset)
                offset += len(token) + 1
                word.append(index)
                span_start.append(min(start, 65535))
                span_end.append(min(end, 65535))
        return cls(page_id, number, " ".join(parts), starts, word, span_start, span_end,
                   _SEPARATOR.join(texts), boxes)

    def matches(self, pattern: re.Pattern, length: int) -> list[tuple[int, int]]:
        """(first token, last token) of every match of the phrase `pattern`."""
        found = []
        for match in pattern.finditer(self.text):
            first = bisect_right(self.starts, match.start()) - 1
            found.append((first, first + length - 1))
        return found


@dataclass(frozen=True)
class Hit:
    """A match: tokens first..last of a page."""

    page: PageTokens
    first: int
    last: int


@dataclass(frozen=True)
class Found:
    hits: list[Hit]

    @property
    def pages(self) -> int:
        return len({hit.page.page_id for hit in self.hits})


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int
    text: str  # the matched words on this line


@dataclass(frozen=True)
class LocatedHit:
    """A hit with its boxes (one a line) and snippet, ready to be written as annotations."""

    page_id: int
    number: int
    first: int  # token index on the page: with page_id, names the hit
    boxes: list[Box]
    prefix: str
    exact: str
    suffix: str


class _DocumentCache:
    """Per process: document id → (signature, pages' tokens), least recently used dropped."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[int, tuple[tuple, list[PageTokens]]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, document_id: int, signature: tuple) -> list[PageTokens] | None:
        with self.lock:
            entry = self.entries.get(document_id)
            if entry is None or entry[0] != signature:
                return None
            self.entries.move_to_end(document_id)
            return entry[1]

    def put(self, document_id: int, signature: tuple, pages: list[PageTokens]) -> None:
        with self.lock:
            self.entries[document_id] = (signature, pages)
            self.entries.move_to_end(document_id)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_cache = _DocumentCache(CACHED_DOCUMENTS)


def document_tokens(document_id: int) -> list[PageTokens]:
    """The document's read pages' tokens, in reading order: one query when cached (the pages'
    ids and reading times), two when a page was read (again) since."""
    rows: list[tuple[int, datetime | None]] = list(
        Page.objects.filter(document_id=document_id).order_by("position", "id")
        .values_list("id", "reading__read_at"))
    signature = tuple(rows)
    cached = _cache.get(document_id, signature)
    if cached is not None:
        return cached
    numbers = {page_id: number for number, (page_id, read_at) in enumerate(rows, start=1)
               if read_at is not None}
    words = dict(PageText.objects.filter(page_id__in=list(numbers)).values_list("page_id", "words"))
    pages = [PageTokens.of_words(page_id, number, words.get(page_id) or [])
             for page_id, number in numbers.items()]
    _cache.put(document_id, signature, pages)
    return pages


def phrase_pattern(query: list[str]) -> re.Pattern:
    return re.compile(r"(?<![^ ])" + re.escape(" ".join(query)) + r"(?![^ ])")


def search_document(document_id: int, query: str) -> Found:
    """Every hit of `query` in the document, page by page in reading order."""
    wanted = query_tokens(query)
    if not wanted:
        return Found([])
    pattern = phrase_pattern(wanted)
    hits = []
    for page in document_tokens(document_id):
        if wanted[0] in page.text:  # cheap test first: most pages lack the word
            hits += [Hit(page, first, last) for first, last in page.matches(pattern, len(wanted))]
    return Found(hits)


def located_hits(hits: Sequence[Hit]) -> list[LocatedHit]:
    """The hits with boxes and snippets (from the cached words: no query)."""
    words: dict[int, list] = {}
    for hit in hits:
        if hit.page.page_id not in words:
            words[hit.page.page_id] = hit.page.words()
    return [_located(hit, words[hit.page.page_id]) for hit in hits]


def _located(hit: Hit, words: list) -> LocatedHit:
    page = hit.page
    first_word, last_word = page.word[hit.first], page.word[hit.last]
    lines: dict[int, list[tuple[int, int, int, int, str]]] = {}
    for index in range(first_word, last_word + 1):
        text, x, y, w, h = words[index][:5]
        start, end = 0, len(text)
        if _HAN_ANYWHERE.search(text):  # else the whole word, its punctuation too, is boxed
            start = page.span_start[hit.first] if index == first_word else 0
            end = page.span_end[hit.last] if index == last_word else len(text)
        left, right = _share(x, w, len(text), start, end)
        lines.setdefault(words[index][5], []).append((left, y, right, y + h, text[start:end]))
    boxes = [_union(parts) for parts in lines.values()]
    before = words[max(0, first_word - SNIPPET_WORDS):first_word]
    after = words[last_word + 1:last_word + 1 + SNIPPET_WORDS]
    exact = join_words([box.text for box in boxes])
    head, tail = words[first_word][0], words[last_word][0]
    cut_head = page.span_start[hit.first] if _HAN_ANYWHERE.search(head) else 0
    cut_tail = page.span_end[hit.last] if _HAN_ANYWHERE.search(tail) else len(tail)
    prefix = join_words([row[0] for row in before] + [head[:cut_head]])
    suffix = join_words([tail[cut_tail:]] + [row[0] for row in after])
    return LocatedHit(page.page_id, page.number, hit.first, boxes,
                      prefix + _gap(prefix, exact), exact, _gap(exact, suffix) + suffix)


def _share(x: int, w: int, length: int, start: int, end: int) -> tuple[int, int]:
    """Left and right of characters start..end of a word x..x+w: Chinese words are split
    by their characters' share (typewritten Han characters are of one width)."""
    if length <= 0 or (start == 0 and end >= length):
        return x, x + w
    return x + round(w * start / length), x + round(w * end / length)


def _union(parts: list[tuple[int, int, int, int, str]]) -> Box:
    left = min(p[0] for p in parts)
    top = min(p[1] for p in parts)
    right = max(p[2] for p in parts)
    bottom = max(p[3] for p in parts)
    return Box(left, top, max(1, right - left), max(1, bottom - top),
               join_words([p[4] for p in parts]))


def _is_han(character: str) -> bool:
    return bool(re.match(rf"[{_HAN}\u3000-\u303f\uff00-\uffef]", character))


def join_words(texts: Sequence[str]) -> str:
    """Words joined by spaces, none between two Chinese characters (as the OCR text is)."""
    out = ""
    for text in texts:
        if not text:
            continue
        out += _gap(out, text) + text
    return out


def _gap(before: str, after: str) -> str:
    if not before or not after or (_is_han(before[-1]) and _is_han(after[0])):
        return ""
    return " "


def complete_term(document_id: int, prefix: str, limit: int = MAX_TERMS) -> list[tuple[str, int]]:
    """Words of the document starting with `prefix` (folded), most frequent first, with their
    counts: for a query of Han characters, the runs of characters that follow them."""
    wanted = query_tokens(prefix)
    if not wanted:
        return []
    counts: Counter[str] = Counter()
    head = " ".join(wanted)
    han = _is_han(wanted[-1][0])
    pattern = re.compile(r"(?<![^ ])" + re.escape(head) + (r"(?: \S){0,3}" if han else r"\S*"))
    for page in document_tokens(document_id):
        if wanted[0] in page.text:
            counts.update(m.group().replace(" ", "") if han else m.group()
                          for m in pattern.finditer(page.text))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
