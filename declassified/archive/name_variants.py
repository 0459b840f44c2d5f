"""The other spellings of a person's or place's name, generated when it is created or imported.

    generated_variants("Chou En-lai", "person")  → ["Zhou Enlai"]
    generated_variants("周恩来", "person")        → ["周恩來", "Zhou Enlai", "Chou En-lai"]
    generated_variants("Aleksei Kosygin", "person") → ["Алексей Косыгин", "Aleksey Kosygin", …]
    generated_variants("Peking", "place")         → ["Beijing", "Peiping", "Pei-ching", "北京"]

Rules (chinese_names.py, russian_names.py) give other romanizations and scripts; names that
no rule derives (Peking, Canton, Leningrad) come from a curated table, name_variants.csv.
Generation only adds: an editor's variants are kept, and a spelling already there in another
case or with other diacritics or punctuation is not added again. Organizations get only the
curated names, places the curated names and the other script of a Chinese or Cyrillic name:
"Canton" or "Taipei" read as Wade–Giles would give nonsense.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from declassified.archive import chinese_names, russian_names
from declassified.archive.models import Person, Place

PERSON, ORGANIZATION, PLACE = "person", "organization", "place"
MAX_GENERATED = 12
CURATED_FILE = Path(__file__).with_suffix(".csv")
_PARENTHESIS_RE = re.compile(r"\s*\(([^()]*)\)\s*")
_WORD_RE = re.compile(r"[^\W_]+")


def spelling_key(name: str) -> str:
    """What two spellings share when they differ only in case, diacritics, ё and
    punctuation ("Chou En-lai" and "chou en lai")."""
    folded = unicodedata.normalize("NFKD", name.casefold().replace("ё", "е"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_WORD_RE.findall(folded))


def generated_variants(name: str, kind: str, existing: Iterable[str] = ()) -> list[str]:
    """Spellings of `name` (a person, organization or place, by `kind`) that are neither
    it nor among `existing`, at most MAX_GENERATED, likeliest first."""
    known = {spelling_key(name), *map(spelling_key, existing)}
    found: list[str] = []
    for spelling in _own_spellings(name):
        for variant in [spelling, *_spellings_of(spelling, kind)]:
            key = spelling_key(variant)
            if key and key not in known:
                known.add(key)
                found.append(variant)
    return found[:MAX_GENERATED]


def with_generated_variants(name: str, kind: str, variants: list[str]) -> list[str]:
    """`variants` with the generated ones added after them."""
    return [*variants, *generated_variants(name, kind, variants)]


def _own_spellings(name: str) -> list[str]:
    """The name and the other spellings it gives in brackets: FRUS writes "Chou En-lai (Zhou
    Enlai)", "Pak Chung-hui (Park Chung Hee, Pak Jung-Hui)"."""
    inside = [part.strip() for brackets in _PARENTHESIS_RE.findall(name)
              for part in re.split("[,;]", brackets)]
    outside = _PARENTHESIS_RE.sub(" ", name).strip()
    # A nickname or an initial in brackets ("Vaky, Viron P. (Pete)") is no name of its own.
    names = [one for one in inside if sum(len(word) > 2 for word in one.split()) >= 2]
    return [one for one in [outside, *names] if one]


def _spellings_of(name: str, kind: str) -> list[str]:
    found = list(curated_spellings(name, kind))
    if chinese_names.has_han(name):
        found += chinese_names.other_characters(name)
        found += chinese_names.romanized(name, personal=kind == PERSON)
    elif russian_names.has_cyrillic(name):
        if kind != ORGANIZATION:
            found += russian_names.latin_spellings(name)
    elif kind == PERSON:
        found += chinese_names.other_romanization(name)
        if russian_names.looks_russian(name):
            cyrillic = russian_names.cyrillic_spelling(name)
            if cyrillic:
                found += [cyrillic, *russian_names.latin_spellings(cyrillic)]
    return found


def curated_spellings(name: str, kind: str) -> tuple[str, ...]:
    """All spellings of the curated entity `name` is a spelling of (for its kind)."""
    table = _curated()
    key = spelling_key(name)
    spellings = table.get((PERSON if kind == ORGANIZATION else kind, key), ())
    if not spellings and kind == PERSON:  # "Khrushchev, Nikita" as "Nikita Khrushchev"
        surname, comma, given = name.partition(",")
        if comma:
            spellings = table.get((PERSON, spelling_key(f"{given} {surname}")), ())
    return spellings


@functools.cache
def _curated() -> dict[tuple[str, str], tuple[str, ...]]:
    """{(kind, spelling key): every spelling of that row}."""
    table: dict[tuple[str, str], tuple[str, ...]] = {}
    with open(CURATED_FILE, encoding="utf-8", newline="") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        next(rows)  # the header
        for kind, *spellings in rows:
            for spelling in spellings:
                table[(kind, spelling_key(spelling))] = tuple(spellings)
    return table


def add_generated_variants(entity: object) -> None:
    """Add the spellings generated from a Person's or Place's name to its variants (before
    it is saved); other entities are left alone."""
    if isinstance(entity, Person):
        kind = ORGANIZATION if entity.kind == Person.ORGANIZATION else PERSON
    elif isinstance(entity, Place):
        kind = PLACE
    else:
        return
    entity.variants = with_generated_variants(entity.name, kind, list(entity.variants or []))
