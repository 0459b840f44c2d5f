"""Persons and organisations of a FRUS volume → Person rows, merged across volumes by
`Person.source_key` (see source.person_source_key), through the archive's bulk actions.
Called inside the volume's import transaction; a handful of queries per volume."""

from __future__ import annotations

import re

from declassified.archive.bulk_actions import (
    PersonInput,
    bulk_get_or_create_people,
    bulk_merge_people,
)
from declassified.archive.models import Person
from declassified.archive.revisions import Actor
from declassified.ingest.frus.source import organization_source_key
from declassified.ingest.frus.types import VolumeData

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


def resolve_persons(volume: VolumeData, actor: Actor) -> dict[str, Person]:
    """{xml:id in the volume's list of persons: Person}; new people created in one batch.

    An existing Person keeps its name and description (editors own them once created); a
    description is only filled in when it is empty, and a new spelling is added to variants
    (archive.bulk_actions.bulk_merge_people).
    """
    found = bulk_merge_people([
        PersonInput(source_key=entry.source_key, name=entry.name, description=entry.description,
                    variants=[v for v in [direct_order(entry.name)] if v])
        for entry in volume.persons
    ], actor=actor)
    return {entry.xml_id: found[entry.source_key] for entry in volume.persons}


def resolve_parties(volume: VolumeData, persons: dict[str, Person],
                    actor: Actor) -> dict[str, Person]:
    """{person xml:id or organisation name: Person} for the senders and recipients."""
    parties: dict[str, Person] = {}
    organisations: dict[str, str] = {}  # name as written → source key
    for document in volume.documents:
        for party in document.senders + document.recipients:
            if party.person_id and party.person_id in persons:
                parties[party.person_id] = persons[party.person_id]
            elif _ORGANISATION_WORDS.search(party.name) and len(party.name) <= 200:
                organisations[party.name] = organization_source_key(party.name)
    found = bulk_get_or_create_people([
        PersonInput(source_key=key, name=_organisation_name(name), kind=Person.ORGANIZATION)
        for name, key in organisations.items()
    ], actor=actor)
    parties.update({name: found[key] for name, key in organisations.items()})
    return parties


def _organisation_name(name: str) -> str:
    """'the Embassy in France' → 'Embassy in France'."""
    clean = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    return clean[:1].upper() + clean[1:]
