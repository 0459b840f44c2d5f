"""The "Document information" block and its JSON twin: every field a document has, and for
a document published in a documentary edition, the volume with its editors."""

from __future__ import annotations

import re

import pytest

from declassified.archive.models import Collection
from tests.factories import (
    make_collection,
    make_document,
    make_repository,
    make_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def volume():
    return make_collection(
        "Foreign Relations of the United States, 1969–1976, Volume XII, Soviet Union",
        is_edition=True, series_title="Foreign Relations of the United States, 1969–1976",
        volume_number="XII", volume_title="Soviet Union, January 1969–October 1970",
        edition_editors="Erin R. Mahan\nEdward C. Keefer", publisher="Government Printing Office",
        publisher_place="Washington, DC", published_year="2006", medium="print",
        source_url="https://history.state.gov/historicaldocuments/frus1969-76v12",
    )


@pytest.fixture
def memorandum(volume):
    document = make_document(
        title="Memorandum From Kissinger to Nixon", date="1969-09-29", number="88",
        collections=[volume, make_collection("Sino-Soviet Split, 1960-1984")],
        source_citation="National Archives, Nixon Presidential Materials. Secret.",
        repository=make_repository("National Archives and Records Administration"),
        call_number="Nixon Presidential Materials, NSC Files, Box 337",
        rights="Public domain.", classification="Secret",
        participants="Henry A. Kissinger\nAnatoly Dobrynin",
        source_id="frus1969-76v12/d88",
        source_url="https://history.state.gov/historicaldocuments/frus1969-76v12/d88",
    )
    make_text(document, "<p>Russian text.</p>", kind="transcript", language="ru",
              translator="A. Translator")
    make_text(document, "<p>English.</p>", translator="B. Translator")
    make_text(document, "<p>Another English.</p>", translator="A. Translator")
    document.languages.add(document.texts.get(language="ru").language)
    return document


def information(html: str) -> dict[str, str]:
    """{term: definition as text} of the page's "Document information" block."""
    block = html.split('id="info-h"')[1].split("</section>")[0]
    pairs = re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", block, re.DOTALL)
    return {term: re.sub(r"<br>", " | ", definition) for term, definition in pairs}


def text_of(markup: str) -> str:
    return re.sub(r"<[^>]+>", "", markup)


def test_the_block_shows_every_field_and_the_edition_with_its_editors(
        client, memorandum, volume, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):  # as before: the block reads prefetched rows
        html = client.get(memorandum.get_absolute_url()).content.decode()

    info = information(html)
    assert text_of(info["Source"]) == "National Archives, Nixon Presidential Materials. Secret."
    assert f'<a href="{volume.get_absolute_url()}">{volume.title}</a>' in info["Published in"]
    assert text_of(info["Published in"]) == (
        f"{volume.title}, document 88 | Edited by Erin R. Mahan and Edward C. Keefer | "
        "Washington, DC: Government Printing Office, 2006")
    assert text_of(info["Original archive"]) == (
        "National Archives and Records Administration, "
        "Nixon Presidential Materials, NSC Files, Box 337")
    assert info["Rights"] == "Public domain."
    assert info["Language"] == "Russian"
    assert info["Translators"] == "A. Translator, B. Translator"
    assert info["Participants"] == "Henry A. Kissinger | Anatoly Dobrynin"
    assert info["Original classification"] == "Secret"
    assert info["Record ID"] == str(memorandum.pk)
    assert info["Source ID"] == (
        '<a href="https://history.state.gov/historicaldocuments/frus1969-76v12/d88" '
        'rel="noopener">frus1969-76v12/d88</a>')


def test_an_archival_document_shows_its_number_and_call_number_without_an_edition(client):
    document = make_document(number="12", call_number="Fond 5, opis 49, delo 235",
                             source_id="wilson/118")

    info = information(client.get(document.get_absolute_url()).content.decode())

    assert (info["Number"], info["Call number"], info["Source ID"]) == (
        "12", "Fond 5, opis 49, delo 235", "wilson/118")
    assert "Published in" not in info and "Translator" not in info and "Participants" not in info


def test_the_json_has_the_same_information(client, memorandum, volume,
                                           django_assert_max_num_queries):
    with django_assert_max_num_queries(12):  # as before
        data = client.get(f"/api/v1/documents/{memorandum.pk}").json()

    assert data["call_number"] == "Nixon Presidential Materials, NSC Files, Box 337"
    assert data["translators"] == ["A. Translator", "B. Translator"]
    assert (data["source_citation"], data["rights"], data["classification"]) == (
        memorandum.source_citation, "Public domain.", "Secret")
    assert data["repository"]["name"] == "National Archives and Records Administration"
    assert [language["code"] for language in data["languages"]] == ["ru"]
    assert (data["id"], data["source_id"]) == (memorandum.pk, "frus1969-76v12/d88")
    assert data["edition"] == {
        "id": volume.pk, "title": volume.title,
        "url": f"http://testserver{volume.get_absolute_url()}",
        "series_title": "Foreign Relations of the United States, 1969–1976",
        "volume_number": "XII", "volume_title": "Soviet Union, January 1969–October 1970",
        "editors": ["Erin R. Mahan", "Edward C. Keefer"],
        "publisher": "Government Printing Office", "publisher_place": "Washington, DC",
        "published_year": "2006", "medium": "print",
        "source_url": "https://history.state.gov/historicaldocuments/frus1969-76v12",
    }
    collection = client.get(f"/api/v1/collections/{volume.pk}").json()
    assert collection["edition"] == data["edition"]


def test_a_document_outside_any_edition_has_a_null_edition(client):
    document = make_document(collections=[make_collection("Sino-Soviet Split, 1960-1984")])

    data = client.get(f"/api/v1/documents/{document.pk}").json()
    collection = client.get(f"/api/v1/collections/{document.collections.get().pk}").json()

    assert (data["edition"], data["translators"], data["call_number"]) == (None, [], "")
    assert collection["edition"] is None
    assert not Collection.objects.filter(is_edition=True).exists()
