"""Russian names in their other spellings: Cyrillic → Latin in the common transliteration
schemes (iuliia), and a Latin spelling of a Russian-looking name back to Cyrillic.

Latin → Cyrillic is ambiguous (y is ы, й or и; e is е or э), so each word's candidates are
spelled out from a small table of what the schemes write for each letter, kept only when
one of the schemes (iuliia's, the library's tables) writes them back exactly as given, and
when they obey two rules of Russian spelling (no й after a consonant, no ы after a vowel,
к, г or х). "Kosygin" → Косыгин, "Khrushchev" → Хрущев. cyrtranslit was tried first: it
reads its own scheme only (Kosygin → Косигин, Khrushchev → Кхрушчев).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import iuliia

CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
# The schemes a reader is likely to meet, most common in English texts first.
SCHEMES = (iuliia.WIKIPEDIA, iuliia.BGN_PCGN_ALT, iuliia.MVD_782, iuliia.ICAO_DOC_9303,
           iuliia.SCIENTIFIC, iuliia.ISO_9_1968, iuliia.ALA_LC, iuliia.MOSMETRO)
# Russian-looking surnames: endings of Russian (and other Soviet) family names. The strong
# ones are enough; a weak one (shared with western names: Begin, Chapin, Kreisky, Trevelyan)
# needs a Russian given name, a patronymic or initials beside it.
_STRONG_RE = re.compile(r"(?:[bcdfghklmnprstvz](?:ov|ev|ova|eva)|yov|enko|vich|shvili|dze)$")
_WEAK_RE = re.compile(r"(?:[bcdfghklmnprstvz](?:in|ina)|yn|yna|sky|skiy|skii|skaya|yko|uk|"
                      r"yuk|yan|ian|ykh|ikh)$")
_PATRONYMIC_RE = re.compile(r"(?:ovich|evich|ich|ovna|evna|ichna)$")
_GIVEN_NAMES = set("""
aleksandr alexander aleksei alexei aleksey alexey alexi anatoli anatoliy anatoly andrei andrey
anastas arkadi arkadiy boris dmitri dmitriy dmitry fedor fyodor frol gennadi gennadiy georgi
georgiy grigori grigoriy igor ilya ivan kirill konstantin lavrenti lavrentiy leonid lev maksim
maxim matvei mikhail nikita nikolai nikolay oleg pavel petr pyotr rodion semen semyon sergei
sergey stepan timofei vadim valentin valerian valeri valeriy vasili vasiliy vasily viktor
vladimir vyacheslav yakov yegor yevgeni yevgeniy yuri yuriy
""".split())
_VOWELS = set("аеёиоуыэюя")
# Latin letters (longest first) and the Cyrillic they may stand for, likeliest first.
_LATIN = sorted({
    "shch": ["щ"], "sch": ["щ"], "kh": ["х"], "zh": ["ж"], "ch": ["ч"], "sh": ["ш"],
    "ts": ["ц", "тс"], "tz": ["ц"], "yu": ["ю"], "iu": ["ю"], "ya": ["я"], "ia": ["я", "иа"],
    "yo": ["ё", "йо"], "ye": ["е"], "yi": ["ы", "ий"], "iy": ["ий"], "yy": ["ый"], "ii": ["ий"],
    "a": ["а"], "b": ["б"], "v": ["в"], "w": ["в"], "g": ["г"], "d": ["д"], "e": ["е", "э"],
    "z": ["з"], "i": ["и", "й"], "y": ["ы", "й", "ий", "ый", "и"], "k": ["к"], "l": ["л"],
    "m": ["м"], "n": ["н"], "o": ["о"], "p": ["п"], "r": ["р"], "s": ["с"], "t": ["т"],
    "u": ["у"], "f": ["ф"], "h": ["х", "г"], "j": ["й"],
}.items(), key=lambda item: -len(item[0]))
_MAX_CANDIDATES = 400


def has_cyrillic(text: str) -> bool:
    return CYRILLIC_RE.search(text) is not None


def latin_spellings(name: str) -> list[str]:
    """A Cyrillic name in each scheme's Latin letters, one of each spelling:
    "Хрущёв" → Khrushchyov, Khrushchev, Khrushchëv, Hruščëv, …"""
    found = [scheme.translate(name) for scheme in SCHEMES]
    return list(dict.fromkeys(one for one in found if one and one != name))


def looks_russian(name: str) -> bool:
    """Whether a Latin personal name looks Russian: its surname (the word before a comma,
    else the last) ends as Russian family names do."""
    surname, given = _surname(name)
    surname = surname.lower()
    if len(surname) < 4 or not surname.isascii() or not surname.isalpha():
        return False
    if _STRONG_RE.search(surname):
        return True
    if not _WEAK_RE.search(surname):
        return False
    words = [word.strip(".()").lower() for word in given]
    return all(len(word) <= 2 for word in words) or any(
        word in _GIVEN_NAMES or _PATRONYMIC_RE.search(word) for word in words)


def _surname(name: str) -> tuple[str, list[str]]:
    """(surname, the other words): "Kosygin, Aleksei N." and "Aleksei N. Kosygin" alike."""
    head, comma, tail = name.partition(",")
    words = head.split() if comma else name.split()
    if not words:
        return "", []
    return words[-1], (tail.split() if comma else words[:-1])


def cyrillic_spelling(name: str) -> str:
    """The Latin name in Cyrillic, word by word ("Aleksei Kosygin" → "Алексей Косыгин");
    "" when a word has no spelling that a scheme writes back as given."""
    words = re.findall(r"[A-Za-z]+|[^A-Za-z]+", name)
    spelled = [_cyrillic_word(word) if word.isalpha() else word for word in words]
    return "" if any(word == "" for word in spelled) else "".join(spelled)


@functools.lru_cache(maxsize=4096)
def _cyrillic_word(word: str) -> str:
    """The likeliest Cyrillic spelling of one Latin word, or ""."""
    # Alexei, Victor: English spellings; the schemes write кс as ks and к as k.
    target = re.sub("c(?!h)", "k", word.lower().replace("x", "ks"))
    best, best_score = "", (-99, -999, 0)
    for candidate in _candidates(target):
        votes = sum(_folded(scheme.translate(candidate)) == target for scheme in SCHEMES)
        # Any scheme agreeing will do (и is i in all of them, й in one): then the usual
        # spelling, then fewer letters (щ over шч), then more schemes agreeing.
        score = (-_rarity(candidate), -len(candidate), votes)
        if votes and score > best_score:
            best, best_score = candidate, score
    if not best:
        return ""
    return best.capitalize() if word[:1].isupper() else best


def _rarity(word: str) -> int:
    """How unusual a spelling is for a name: э but at the start, a final ы, a final vowel + и (Андреи for
    Андрей), й before a vowel (Семйонов for Семёнов)."""
    rare = word[1:].count("э") + word.endswith("ы") + (word[-2:-1] in _VOWELS and word.endswith("и"))
    return rare + len(re.findall("й[аеёиоуыэюя]", word))


def _candidates(word: str) -> list[str]:
    """Cyrillic spellings of a lower-case Latin word that Russian spelling allows."""
    partial: list[tuple[int, str]] = [(0, "")]  # (letters read, Cyrillic so far)
    done: list[str] = []
    while partial and len(done) < _MAX_CANDIDATES:
        position, spelled = partial.pop(0)
        if position == len(word):
            done.append(spelled)
            continue
        for latin, options in _LATIN:
            if word.startswith(latin, position):
                for option in options:
                    if _allowed(spelled, option):
                        partial.append((position + len(latin), spelled + option))
        if len(partial) > _MAX_CANDIDATES:
            break
    return done


def _allowed(before: str, letters: str) -> bool:
    previous = before[-1:] if before else ""
    first = letters[0]
    if first == "й" and (not previous or previous not in _VOWELS):
        return False
    if first == "ы" and (not previous or previous in _VOWELS or previous in "кгх"):
        return False
    return not (first == "э" and previous and previous not in _VOWELS)


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isalpha() and c.isascii())
