"""Real FRUS volumes from ../shared/corpus, checked against their own XML.

Skipped only when the corpus is absent (CI has it: ../shared/corpus beside the checkout).
"""

from __future__ import annotations

import gzip
import html
import re
from concurrent.futures import ProcessPoolExecutor
from io import StringIO
from multiprocessing import get_context
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import Q
from django.utils.html import strip_tags
from lxml import etree

from declassified.archive.models import Collection, Document, Person, Text
from declassified.ingest.frus import FrusFormatError, parse_or_error
from declassified.search import apply_pending as search_apply_pending
from declassified.search import search

REPO = Path(__file__).resolve().parents[3]
VOLUMES = REPO.parent / "shared" / "corpus" / "frus" / "volumes"
TEI = {"t": "http://www.tei-c.org/ns/1.0"}

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not VOLUMES.is_dir(), reason=f"the FRUS corpus is not at {VOLUMES}"),
]


def volume_file(volume_id: str) -> Path:
    return VOLUMES / f"{volume_id}.xml.gz"


def import_volumes(*volume_ids: str) -> str:
    out = StringIO()
    call_command("import_frus", *[str(volume_file(v)) for v in volume_ids], foreground=True,
                 stdout=out)
    return out.getvalue()


def xml_document(volume_id: str, doc_id: str):
    root = etree.fromstring(gzip.decompress(volume_file(volume_id).read_bytes()))
    return root.xpath(f'//t:div[@type="document"][@xml:id="{doc_id}"]', namespaces=TEI)[0]


def squashed(text: str) -> str:
    return " ".join(text.split())


def plain(html_text: str) -> str:
    return squashed(html.unescape(strip_tags(html_text)))


@pytest.mark.django_db
def test_frus1961_63v22_is_a_collection_with_its_chapters_as_sub_collections():
    import_volumes("frus1961-63v22")
    volume = Collection.objects.get(source_id="frus1961-63v22")
    assert volume.title == ("Foreign Relations of the United States, 1961–1963, Volume XXII, "
                            "Northeast Asia")
    assert volume.date_span == "1961/1963"
    assert "Edward C. Keefer" in volume.editors
    compilation = volume.children.get()
    chapters = list(compilation.children.order_by("position").values_list("source_id", "title"))
    assert chapters == [("frus1961-63v22/ch1", "China"), ("frus1961-63v22/ch2", "Mongolia"),
                        ("frus1961-63v22/ch3", "Korea"), ("frus1961-63v22/ch4", "Japan")]
    assert volume.documents.count() == 385
    assert Collection.objects.get(source_id="frus1961-63v22/ch1").documents.count() > 100


@pytest.mark.django_db
def test_documents_match_their_xml():
    import_volumes("frus1961-63v22")
    element = xml_document("frus1961-63v22", "d1")
    head = element.find("t:head", TEI)
    note = head.find("t:note", TEI)
    document = Document.objects.get(source_id="frus1961-63v22/d1")
    expected_title = squashed("".join(head.xpath("text()|*[not(self::t:note)]//text()",
                                                 namespaces=TEI)))
    assert document.title == re.sub(r"^1\.\s*", "", expected_title)
    assert document.date == element.find(".//t:dateline/t:date", TEI).get("when")[:10]
    assert document.date_detail == "20:40"
    assert document.source_citation == squashed("".join(note.itertext())).removeprefix("Source: ")
    assert document.classification == "Confidential; Presidential Handling"
    assert document.repository.name == "Department of State"
    assert document.document_type == "Telegram"
    assert document.place_of_origin.name == "Washington"
    text = document.texts.get(kind=Text.TRANSCRIPT)
    body, footnotes = plain(text.body), plain(text.footnotes)
    body_notes = element.xpath(".//t:p//t:note", namespaces=TEI)
    assert len(body_notes) == 3
    for footnote in body_notes:
        words = squashed("".join(footnote.itertext()))[:60]
        assert words not in body  # footnotes are never body text…
        assert words in footnotes  # …but footnotes
    assert "I have read with profound appreciation" in body
    people = set(document.people.values_list("name", flat=True))
    assert {"Chiang Kai-shek", "Eisenhower, Dwight D.", "Herter, Christian A."} <= people


@pytest.mark.django_db
def test_a_memorandum_of_conversation_keeps_its_participants_and_secret_marking():
    import_volumes("frus1961-63v22")
    document = Document.objects.get(source_id="frus1961-63v22/d3")
    assert document.title == "Memorandum of Conversation"
    assert (document.classification, document.date, document.date_detail) == (
        "Secret", "1961-02-03", "15:10–15:40")
    body = document.texts.get().body
    assert '<ul class="list-participants">' in body
    yeh = Person.objects.get(source_key="frus:yeh|george")
    assert f'href="/person/{yeh.pk}/"' in body


@pytest.mark.django_db
def test_a_person_in_two_volumes_is_one_person_listing_documents_of_both(client):
    import_volumes("frus1961-63v22", "frus1961-63v05")
    rusk = Person.objects.get(source_key="frus:rusk|dean")
    volumes = {source_id.split("/")[0] for source_id in
               rusk.mentioned_in.values_list("source_id", flat=True)}
    assert volumes == {"frus1961-63v22", "frus1961-63v05"}
    search_apply_pending()  # the person's page lists the documents through the index
    response = client.get(f"/person/{rusk.pk}/")
    assert response.status_code == 200
    named = Document.objects.filter(
        Q(people=rusk) | Q(authors=rusk) | Q(contributors=rusk)).distinct()
    assert response.context["result"].total == named.count()
    for volume in Collection.objects.filter(source_id__in=volumes):  # both, within the page
        within = client.get(f"/person/{rusk.pk}/", {"collection": volume.pk})
        assert within.context["result"].total == named.filter(collections=volume).count() > 0


@pytest.mark.django_db
def test_the_oddest_volumes_import_and_searching_sino_soviet_finds_frus_documents():
    output = import_volumes("frus1969-76ve16", "frus1952-54v14p2", "frus1961-63v07-09mSupp",
                            "frus1969-76ve13")
    assert "0 warning(s)" in output
    assert Collection.objects.filter(parent=None).count() == 4
    fiche = Document.objects.get(source_id="frus1961-63v07-09mSupp/d1")
    assert fiche.classification == "Top Secret"
    hits = search({"q": "Sino-Soviet"}, AnonymousUser()).hits
    assert any(hit.url for hit in hits)
    found = Document.objects.filter(pk__in=[hit.id for hit in hits])
    assert found.filter(source_id__startswith="frus").exists()


@pytest.mark.django_db
def test_the_api_finds_a_document_by_its_original_id(client):
    import_volumes("frus1969-76ve13")
    response = client.get("/api/v1/documents", {"source_id": "frus1969-76ve13/d1"})
    assert response.status_code == 200
    found = response.json()
    assert [record["source_id"] for record in found["results"]] == ["frus1969-76ve13/d1"]


def test_every_volume_of_the_corpus_parses_without_error():
    """All 87 volumes, two at a time (parsing needs no database)."""
    paths = sorted(VOLUMES.glob("*.xml.gz"))
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        volumes = list(pool.map(parse_or_error, paths))
    errors = [str(v) for v in volumes if isinstance(v, FrusFormatError)]
    assert errors == []
    assert all(v.documents for v in volumes)
    assert sum(len(v.documents) for v in volumes) == 28450
