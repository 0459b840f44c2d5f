"""The names lexicon written from the database (see engine/name_lexicon.py): each person and
place whose spellings differ in more than word order, and the surnames of Russian names
("Kosygin" ↔ "Косыгин", confirmed by a Latin spelling of the same person).

Two queries tell whether people or places changed since the lexicon was written (their
number and latest change); only then are they read again (one query each).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.db.models import Count, Max

from declassified.archive import russian_names
from declassified.archive.models import Person, Place
from declassified.search.engine.name_lexicon import save_lexicon, saved_fingerprint, spelling_key

_READ_CHUNK = 2000
_BRACKETS_RE = re.compile(r"\s*\([^()]*\)")


def refresh_lexicon(path: Path) -> None:
    """Write the generation's lexicon if people or places changed since it was written."""
    fingerprint = json.loads(json.dumps([
        model.objects.aggregate(n=Count("id"), last=Max("updated_at")) for model in (Person, Place)
    ], default=str))
    if saved_fingerprint(path) == fingerprint:
        return
    groups: list[list[str]] = []
    for model in (Person, Place):
        rows = model.objects.order_by().values_list("name", "variants").iterator(_READ_CHUNK)
        for name, variants in rows:
            spellings = [_unbracketed(name), *(v for v in variants or [] if isinstance(v, str))]
            if _differ(spellings):
                groups.append(spellings)
                groups.extend(_surname_groups(spellings))
    save_lexicon(path, groups, fingerprint)


def _unbracketed(name: str) -> str:
    """"Chou En-lai (Zhou Enlai)" as searched and shown: "Chou En-lai" (FRUS lists give
    another spelling in brackets; generation made it a variant)."""
    return _BRACKETS_RE.sub(" ", name).strip() or name


def _differ(spellings: list[str]) -> bool:
    """Whether some spelling has other words than the rest ("Ainsworth, Thomas" and "Thomas
    Ainsworth" do not: they search alike)."""
    return len({tuple(sorted(spelling_key(s).split())) for s in spellings} - {()}) > 1


def _surname_groups(spellings: list[str]) -> list[list[str]]:
    """For each Cyrillic spelling, its surname with the Latin spellings of it that the
    person's Latin names use (the surname alone is what readers search for)."""
    latin_words = {word.casefold() for s in spellings if not russian_names.has_cyrillic(s)
                   for word in s.replace(",", " ").split()}
    groups = []
    for spelling in spellings:
        if not russian_names.has_cyrillic(spelling):
            continue
        head, comma, _ = spelling.partition(",")
        words = head.split() if comma else spelling.split()
        if not words:
            continue
        surname = words[-1]
        latin = russian_names.latin_spellings(surname)
        if any(one.casefold() in latin_words for one in latin):
            groups.append([surname, *latin])
    return groups
