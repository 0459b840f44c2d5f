"""A citable cable with everything a citation reads, and helpers to fetch its records."""

from __future__ import annotations

import json

import pytest

from declassified.archive.models import Person
from tests.factories import (
    make_collection,
    make_document,
    make_language,
    make_person,
    make_place,
    make_repository,
    make_subject,
)

CENTRAL_COMMITTEE = "Central Committee of the Communist Party of the Soviet Union"


@pytest.fixture
def cable(db):
    """A published cable by an organisation and a person, held by a named archive."""
    repository = make_repository(
        "Archive of the Ministry of Foreign Affairs of the PRC", abbreviation="PRC FMA",
        location="Beijing", url="https://www.fmprc.gov.cn/",
    )
    document = make_document(
        title="Cable from the Chinese Embassy in Moscow, 'Soviet Reactions'",
        date="1965-03-05",
        summary="The embassy reports Soviet reactions to the student demonstrations.",
        document_type="Telegram", classification="Top Secret",
        source_citation="PRC FMA 109-03794-01, 1-4", repository=repository,
        rights="Public domain in the United States.",
        collections=[make_collection("Sino-Soviet Split, 1960-1984")],
        authors=[make_person(CENTRAL_COMMITTEE, kind=Person.ORGANIZATION),
                 make_person("Zhou Enlai")],
        subjects=[make_subject("Student demonstrations")],
        people=[make_person("Nikita Khrushchev", wikidata_id="Q35004")],
        places=[make_place("Moscow", latitude="55.755800", longitude="37.617300")],
    )
    document.languages.set([make_language("zh", "Chinese")])
    return document


def csl_item(client, document) -> dict:
    """The one CSL-JSON item of a document, as /document/<id>/cite.json gives it."""
    response = client.get(f"/document/{document.pk}/cite.json")
    assert response.status_code == 200, response.content
    items = json.loads(response.content)
    assert len(items) == 1
    return items[0]
