"""Fixes to what Tesseract read, each measured on the scan corpus (docs/ocr.md).

    fixed_by_glyph_height(lines)     # c/C, o/O, s/S...: case from the glyph's height; л/д
    fixed_latin_word("/2/")          # "(2)": typewriter parentheses read as slashes
    fixed_cjk_words(["会谈", ":"])   # ["会谈", "："]: a colon beside Chinese is a fullwidth one

A typewriter's lowercase c o s u v w x z are small copies of its capitals: Tesseract's fast
models often read them as capitals (and the reverse). The glyph's height tells them apart:
a lowercase one is as tall as the line's x-height letters, a capital as tall as its capitals.
Likewise a typed Cyrillic «д» has feet below the line and «л» has none; Tesseract reads this
typewriter's «д» as «л».
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

# Letters whose lowercase is a small copy of the capital in typewriter faces.
SAME_SHAPE_CASES = frozenset("cosuvwxz")
# Capitals Tesseract reads for lowercase letters of x-height only (m -> M, n -> N, r -> T):
# a glyph of x-height cannot be one of them.
SMALL_CAPITAL_MISREADS = {"A": "a", "C": "c", "E": "e", "M": "m", "N": "n", "O": "o",
                          "R": "r", "S": "s", "T": "r", "U": "u", "V": "v", "W": "w",
                          "X": "x", "Z": "z"}
# Letters of x-height only (no ascender or descender), and letters as tall as a capital;
# none of them is in SAME_SHAPE_CASES, so a case misread does not skew the references.
X_HEIGHT_LETTERS = frozenset("aemnrаеё")
CAPITAL_HEIGHT_LETTERS = frozenset("ABDEFGHIJKLMNRTАБЕЁ0123456789bdfhkl")
# A line needs this many reference glyphs to be measured alone; else the page's are used.
MIN_REFERENCES = 3
# Capitals must stand this many pixels above x-height letters for case to be told by height.
MIN_CASE_GAP = 3
# «л» taller than x-height by this ratio has the feet of a «д» (typed «л»: 1.00-1.04;
# «д»: 1.10-1.20 on the corpus's typewriter face).
CYRILLIC_DE_RATIO = 1.08

TYPOGRAPHIC_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"',
                                    "\u201d": '"', "\u201e": '"'})
OPENING_SLASH = re.compile(r"^/(?=[A-Za-z0-9])")
CLOSING_SLASH = re.compile(r"(?<=[A-Za-z0-9.,;:])/(?=[.,;:]?$)")
FULLWIDTH = {":": "：", ",": "，", ";": "；", "?": "？", "!": "！"}


@dataclass
class Glyph:
    text: str
    height: int


def fixed_by_glyph_height(lines: Sequence[Sequence[list[Glyph]]]) -> int:
    """Set the case of same-shape letters, and «л»/«д», by each glyph's height, in place.
    `lines` are a page's lines, each a list of words, each a list of its glyphs.
    Returns how many glyphs changed."""
    page_x = [g.height for line in lines for word in line for g in word
              if g.text in X_HEIGHT_LETTERS]
    page_capital = [g.height for line in lines for word in line for g in word
                    if g.text in CAPITAL_HEIGHT_LETTERS]
    if len(page_x) < MIN_REFERENCES or len(page_capital) < MIN_REFERENCES:
        return 0
    changed = 0
    for line in lines:
        glyphs = [g for word in line for g in word]
        line_x = [g.height for g in glyphs if g.text in X_HEIGHT_LETTERS]
        line_capital = [g.height for g in glyphs if g.text in CAPITAL_HEIGHT_LETTERS]
        x_height = median(line_x if len(line_x) >= MIN_REFERENCES else page_x)
        capital = median(line_capital if len(line_capital) >= MIN_REFERENCES else page_capital)
        if capital - x_height < MIN_CASE_GAP:
            continue
        for word in line:
            capitals = sum(1 for g in word if g.text.isupper())
            letters = sum(1 for g in word if g.text.isalpha())
            wanted = [_by_height(glyph, x_height, capital,
                                 among_capitals=capitals + 1 >= letters > 1) for glyph in word]
            # A fold or a blot through a line changes heights: a fix that leaves the word
            # with more case changes than it had (COMMITTEE -> coMmITTEe) is not made,
            # unless it makes a plain word of it (lower, upper, or capitalised: SOVIET -> Soviet).
            if _case_changes(wanted) > _case_changes([g.text for g in word]) and \
                    _case_changes(wanted[1:]) > 0:
                continue
            for glyph, text in zip(word, wanted, strict=True):
                if text != glyph.text:
                    glyph.text = text
                    changed += 1
    return changed


def _case_changes(texts: Sequence[str]) -> int:
    """How often a word's letters switch between lower and upper case."""
    cases = [c.isupper() for c in "".join(texts) if c.isalpha()]
    return sum(1 for a, b in zip(cases, cases[1:], strict=False) if a != b)


def _by_height(glyph: Glyph, x_height: float, capital: float, *, among_capitals: bool) -> str:
    if glyph.text == "л":
        return "д" if glyph.height > x_height * CYRILLIC_DE_RATIO else "л"
    small = glyph.height < (x_height + capital) / 2
    if glyph.text.lower() in SAME_SHAPE_CASES:
        if small:
            return glyph.text.lower()
        # Tesseract's glyph boxes can slip onto a taller neighbour (the o of "of" given the
        # f's height), so a tall glyph is made a capital only among capitals (SeCRET).
        return glyph.text.upper() if among_capitals else glyph.text
    if small and glyph.text in SMALL_CAPITAL_MISREADS:
        return SMALL_CAPITAL_MISREADS[glyph.text]
    return glyph.text


def fixed_latin_word(word: str) -> str:
    """Straight quotes for typographic ones (typewriters have none), slashes read for
    parentheses at a word's edges back to parentheses, and a same-shape capital inside a
    lowercase word (tO, neCessary) back to lowercase."""
    word = word.translate(TYPOGRAPHIC_QUOTES)
    if "/" in word:
        word = OPENING_SLASH.sub("(", word)
        word = CLOSING_SLASH.sub(")", word)
    return _case_inside_word(word)


def _case_inside_word(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if len(letters) < 2 or upper in (0, len(letters)):
        return word
    if upper >= 2 and upper > len(letters) - upper and all(
            c.lower() in SAME_SHAPE_CASES for c in letters if c.islower()):
        return word.upper()  # THaT-like: a capitalised word with one small copy in it
    if re.match(r"^[(\"']?(Mc|Mac|De|Di|Da|La|Le|Van|Von|O')", word):
        return word  # McNamara, DeGaulle: capitals inside names
    out = list(word)
    for i in range(1, len(word)):
        if word[i].isupper() and word[i].lower() in SAME_SHAPE_CASES and word[i - 1].isalpha():
            if word[i - 1].islower() or (i + 1 < len(word) and word[i + 1].islower()):
                out[i] = word[i].lower()
    return "".join(out)


def fixed_cjk_words(words: Sequence[str], is_cjk) -> list[str]:
    """ASCII punctuation standing beside a CJK character made fullwidth, as it was typed."""
    fixed = list(words)
    for i, word in enumerate(words):
        if len(word) != 1 or word not in FULLWIDTH:
            continue
        before = words[i - 1][-1:] if i > 0 else ""
        after = words[i + 1][:1] if i + 1 < len(words) else ""
        if (before and is_cjk(before)) or (after and is_cjk(after)):
            fixed[i] = FULLWIDTH[word]
    return [_fullwidth_inside(word, is_cjk) for word in fixed]


def _fullwidth_inside(word: str, is_cjk) -> str:
    if not any(c in FULLWIDTH for c in word) or not any(is_cjk(c) for c in word):
        return word
    chars = list(word)
    for i, c in enumerate(chars):
        if c in FULLWIDTH and ((i > 0 and is_cjk(chars[i - 1])) or
                               (i + 1 < len(chars) and is_cjk(chars[i + 1]))):
            chars[i] = FULLWIDTH[c]
    return "".join(chars)
