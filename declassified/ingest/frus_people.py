"""Persons and organisations of a FRUS volume → Person rows, merged across volumes by
`Person.source_key` (see frus_source.person_source_key). Called inside the volume's
import transaction; a handful of queries per volume."""

from __future__ import annotations

import re

from declassified.archive.models import Person, make_slug
from declassified.ingest.frus_data import VolumeData
from declassified.ingest.frus_source import organization_source_key

# Senders and recipients named without a link to the list of persons become organisations
# only when the name says so; "President Kennedy" unlinked is left alone rather than
# becoming a second, organisation-shaped Kennedy.
_ORGANISATION_WORDS = re.compile(
    r"\b(Embassy|Embassies|Legation|Consulate|Consul General|Department|Mission|Delegation|"
    r"Office|Council|Agency|Ministry|Government|Committee|Staff|Board|Command|Headquarters|"
    r"Bureau|Secretariat|Service|Station|Posts|Commission|Chiefs|Group|Administration|"
    r"Corporation|Company|Party|Foreign Office|White House|Senate|Congress|Army|Navy|"
    r"Air Force|Nations|Organization|Division)\b"
)


def direct_order(name: str) -> str:
    """'Ainsworth, Thomas W.' → 'Thomas W. Ainsworth' (kept as a variant for searching)."""
    surname, comma, given = name.partition(",")
    if not comma or "," in given or not given.strip():
        return ""
    return f"{given.strip()} {surname.strip()}"


def resolve_persons(volume: VolumeData) -> dict[str, Person]:
    """{xml:id in the volume's list of persons: Person}; new people created in one batch.

    An existing Person keeps its name and description (editors own them once created); a
    description is only filled in when it is empty, and a new spelling is added to variants.
    """
    keys = {p.source_key for p in volume.persons}
    found: dict[str, Person] = {}
    for person in Person.objects.filter(source_key__in=keys).order_by("id"):
        found.setdefault(person.source_key, person)
    new: dict[str, Person] = {}
    changed: dict[int, Person] = {}
    for entry in volume.persons:
        person = found.get(entry.source_key) or new.get(entry.source_key)
        if person is None:
            variants = [v for v in [direct_order(entry.name)] if v]
            new[entry.source_key] = Person(
                name=entry.name[:300], slug=make_slug(entry.name), description=entry.description,
                source_key=entry.source_key, variants=variants,
            )
            continue
        if person.pk is None:
            continue
        if not person.description and entry.description:
            person.description = entry.description
            changed[person.pk] = person
        if entry.name != person.name and entry.name not in person.variants:
            person.variants = [*person.variants, entry.name]
            changed[person.pk] = person
    Person.objects.bulk_create(list(new.values()))
    if changed:
        Person.objects.bulk_update(list(changed.values()), ["description", "variants"])
    found.update(new)
    return {entry.xml_id: found[entry.source_key] for entry in volume.persons}


def resolve_parties(volume: VolumeData, persons: dict[str, Person]) -> dict[str, Person]:
    """{person xml:id or organisation name: Person} for the senders and recipients."""
    parties: dict[str, Person] = {}
    organisations: dict[str, str] = {}  # name as written → source key
    for document in volume.documents:
        for party in document.senders + document.recipients:
            if party.person_id and party.person_id in persons:
                parties[party.person_id] = persons[party.person_id]
            elif _ORGANISATION_WORDS.search(party.name) and len(party.name) <= 200:
                organisations[party.name] = organization_source_key(party.name)
    if not organisations:
        return parties
    found: dict[str, Person] = {}
    for person in Person.objects.filter(source_key__in=set(organisations.values())).order_by("id"):
        found.setdefault(person.source_key, person)
    new: dict[str, Person] = {}
    for name, key in organisations.items():
        if key not in found and key not in new:
            clean = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
            clean = clean[:1].upper() + clean[1:]
            new[key] = Person(name=clean, slug=make_slug(clean), kind=Person.ORGANIZATION,
                              source_key=key)
    Person.objects.bulk_create(list(new.values()))
    found.update(new)
    parties.update({name: found[key] for name, key in organisations.items()})
    return parties
