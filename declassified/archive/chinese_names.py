"""Chinese names in their other spellings: hanzi → pinyin and Wade–Giles (pypinyin), traditional
↔ simplified characters (OpenCC), and Wade–Giles ↔ pinyin between the two romanizations.

The syllable table comes from pypinyin: every reading of every character it knows (426
syllables), each with its Wade–Giles form. Personal names are written surname first, the
given name's syllables joined in pinyin ("Zhou Enlai") and hyphenated in Wade–Giles ("Chou
En-lai"). Only names made entirely of syllables of one system are converted, and when a name
could be read in both (every syllable of "Chang Han" is both), it is left alone: a wrong
spelling added to a person would be searched for ever after.
"""

from __future__ import annotations

import functools
import re

import opencc
from pypinyin import Style, lazy_pinyin
from pypinyin.contrib.tone_convert import to_normal
from pypinyin.pinyin_dict import pinyin_dict
from pypinyin.style import wadegiles

HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Written as one name, not surname + given name (the common double surnames).
_DOUBLE_SURNAMES = {"欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "令狐",
                    "皇甫", "尉迟", "尉遲", "公孙", "公孫", "慕容", "夏侯", "司徒", "端木"}
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʻ": "'", "ʼ": "'"})
_TOKEN_RE = re.compile(r"[A-Za-zÜüÖöÊê']+(?:-[A-Za-zÜüÖöÊê']+)*")


@functools.cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(pinyin → Wade–Giles, Wade–Giles → pinyin), syllables lower case, ü written ü."""
    syllables = {to_normal(reading).replace("v", "ü")
                 for readings in pinyin_dict.values() for reading in readings.split(",")}
    # pypinyin's converter turns syllables that its table maps to themselves into others
    # (lai → lei, hai → hei): its table is read directly for those.
    table = dict(wadegiles._convert_table)
    to_wg: dict[str, str] = {}
    for syllable in sorted(syllables):
        if not syllable.isalpha() or not re.search("[aeiouü]", syllable) or (
                not syllable.isascii() and "ü" not in syllable):
            continue  # interjections written without a vowel (m, ng, ê): never in names
        key = syllable.replace("ü", "v")
        wg = table.get(syllable) or table.get(key) or wadegiles.to_wade_glides(syllable)
        to_wg[syllable] = wg.replace("v", "ü")
    to_pinyin: dict[str, str] = {}
    for syllable, wg in to_wg.items():
        to_pinyin.setdefault(wg, syllable)
    for syllable, wg in to_wg.items():  # "Hsu" for Hsü, where that is no other syllable
        to_pinyin.setdefault(wg.replace("ü", "u"), syllable)
    return to_wg, to_pinyin


def has_han(text: str) -> bool:
    return HAN_RE.search(text) is not None


# --- Characters --------------------------------------------------------------------------------


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def other_characters(name: str) -> list[str]:
    """The name in traditional and in simplified characters, where they differ from it."""
    found = [_converter(config).convert(name) for config in ("s2t", "t2s")]
    return [one for one in dict.fromkeys(found) if one != name]


def romanized(name: str, *, personal: bool) -> list[str]:
    """A name in Chinese characters in pinyin and Wade–Giles: "周恩来" → "Zhou Enlai",
    "Chou En-lai"; a place "北京" → "Beijing", "Pei-ching". Characters only (else [])."""
    name = "".join(name.split())
    if not name or any(not HAN_RE.match(c) for c in name):
        return []
    pinyin = lazy_pinyin(name, style=Style.NORMAL, v_to_u=True)
    wg = [_tables()[0].get(s, s) for s in pinyin]
    if not personal or len(name) < 2 or len(name) > 4:
        return list(dict.fromkeys([_joined(pinyin), _hyphenated(wg)]))
    surname_length = 2 if name[:2] in _DOUBLE_SURNAMES and len(name) > 2 else 1
    return list(dict.fromkeys([
        f"{_joined(pinyin[:surname_length])} {_joined(pinyin[surname_length:])}",
        f"{_hyphenated(wg[:surname_length])} {_hyphenated(wg[surname_length:])}",
    ]))


def _joined(syllables: list[str]) -> str:
    """Pinyin: one word, an apostrophe before a syllable starting with a, o or e (Xi'an)."""
    word = syllables[0]
    for syllable in syllables[1:]:
        word += ("'" if syllable[0] in "aoe" else "") + syllable
    return word.capitalize()


def _hyphenated(syllables: list[str]) -> str:
    return "-".join(syllables).capitalize()


# --- Between the romanizations -----------------------------------------------------------------


def other_romanization(name: str) -> list[str]:
    """A Latin personal name in the other romanization: Wade–Giles "Mao Tse-tung" → "Mao
    Zedong", pinyin "Deng Xiaoping" → "Teng Hsiao-p'ing" and "Teng Hsiao-ping" (the
    apostrophes are often left out). [] unless the whole name reads as one system only."""
    words = _TOKEN_RE.findall(name.translate(_APOSTROPHES).replace(",", " "))
    if not words or len(words) > 4 or len("".join(words)) < 4:
        return []
    as_wg = _as_wade_giles(words)
    as_pinyin = _as_pinyin(words)
    if as_wg and as_pinyin:
        as_wg, as_pinyin = _disambiguated(words, as_wg, as_pinyin)
    if as_wg and _aspiration_unmarked(words):
        as_wg = None
    if as_wg:
        return [" ".join(_joined(word) for word in as_wg)]
    if as_pinyin:
        wg = [_hyphenated([_tables()[0][s] for s in word]) for word in as_pinyin]
        with_apostrophes = " ".join(wg)
        return list(dict.fromkeys([with_apostrophes, with_apostrophes.replace("'", "")]))
    return []


def _as_wade_giles(words: list[str]) -> list[list[str]] | None:
    """Each word's syllables in pinyin, when every word is Wade–Giles syllables joined by
    hyphens (at least two syllables in all), else None."""
    to_pinyin = _tables()[1]
    result = []
    for word in words:
        syllables = word.lower().replace("ö", "o").split("-")
        if any(s not in to_pinyin for s in syllables):
            return None
        result.append([to_pinyin[s] for s in syllables])
    return result if sum(map(len, result)) >= 2 else None


def _aspiration_unmarked(words: list[str]) -> bool:
    """Whether the name leaves out Wade–Giles' apostrophes (none at all) and has a syllable
    whose reading depends on one: "Teng Hsiao-ping" is Deng Xiaoping, not Deng Xiaobing as
    written. Of 22 such names on the lists of persons of 12 FRUS volumes, 13 came out wrong
    read as written, 8 right (docs/search.md#names-in-all-their-spellings)."""
    if any("'" in word for word in words):
        return False
    syllables = [s for word in words for s in word.lower().split("-")]
    return any(s == "yu" or (re.match("(ch|ts|tz|p|t|k)", s) and _aspirated(s) in _tables()[1])
               for s in syllables)


def _aspirated(syllable: str) -> str:
    initial = re.match("ch|ts|tz|p|t|k", syllable)
    assert initial is not None
    return f"{initial.group()}'{syllable[initial.end():]}"


def _as_pinyin(words: list[str]) -> list[list[str]] | None:
    """Each word split into pinyin syllables (a given name is one word), when every word
    splits, at least two syllables in all; else None. A syllable starting with a, o or e
    inside a word follows an apostrophe in pinyin (Xi'an), so "Takeo" is no pinyin."""
    result = []
    for word in words:
        parts = word.lower().split("'")
        # Pinyin's apostrophe stands between syllables, before one starting with a, o or e
        # (Xi'an); Wade–Giles' marks aspiration inside one (Ch'en).
        if "-" in word or any(not part for part in parts) or any(
                part[0] not in "aoe" for part in parts[1:]):
            return None
        splits = [_split_pinyin(part) for part in parts]
        if any(split is None for split in splits):
            return None
        syllables = [s for split in splits for s in split or ()]
        # A surname is one syllable (two for the few double ones), a given name one or two.
        if len(syllables) > 2 or any(s[0] in "aoe" for split in splits for s in (split or ())[1:]):
            return None
        result.append(syllables)
    return result if sum(map(len, result)) >= 2 else None


@functools.cache
def _split_pinyin(word: str) -> tuple[str, ...] | None:
    """The fewest pinyin syllables that spell `word`, preferring longer ones first."""
    to_wg = _tables()[0]
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and word[start:end] in to_wg:
                candidate = (*head, word[start:end])
                if best[end] is None or len(candidate) < len(best[end] or ()):
                    best[end] = candidate
    return best[len(word)]


def _disambiguated(words: list[str], as_wg, as_pinyin):
    """Both readings are possible: Wade–Giles when the name is written its way (hyphens,
    apostrophes, hs, ts), pinyin when written its way (syllables joined in a word);
    neither when nothing tells."""
    text = " ".join(words).lower()
    wade_giles_marks = "-" in text or "'" in text or re.search(r"\bhs|ts|tz|ih\b|ieh\b|ung\b", text)
    pinyin_marks = any(len(word) > 1 for word in as_pinyin) or re.search(r"[xqz]|c(?!h)|ong\b", text)
    if wade_giles_marks and not pinyin_marks:
        return as_wg, None
    if pinyin_marks and not wade_giles_marks:
        return None, as_pinyin
    return None, None
