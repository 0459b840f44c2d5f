"""The metadata includes of the public pages, rendered as the pages render them and read
back as Zotero's embedded-metadata reader and a schema.org consumer would."""

from __future__ import annotations

import json

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from declassified.archive.models import Person
from tests.citations.conftest import CENTRAL_COMMITTEE
from tests.citations.embedded import embedded_metadata
from tests.factories import make_collection, make_document, make_person


def head_of(template: str, **context) -> str:
    request = RequestFactory().get("/")
    body = render_to_string(template, {"request": request, **context}, request=request)
    return f"<!doctype html><html><head>{body}</head><body></body></html>"


def test_a_document_is_saved_as_a_manuscript_with_title_date_and_whole_authors(cable):
    record = embedded_metadata(head_of("web/includes/document_meta.html", document=cable))

    assert record["itemType"] == "manuscript"
    assert record["title"] == cable.title
    assert record["date"] == "1965/03/05"
    assert record["creators"] == [CENTRAL_COMMITTEE, "Zhou Enlai"]
    assert record["url"] == f"http://testserver{cable.get_absolute_url()}"
    assert record["abstractNote"] == cable.summary
    assert record["tags"] == ["Student demonstrations"]


def test_the_dublin_core_tags_describe_the_document(cable):
    dublin_core = embedded_metadata(
        head_of("web/includes/document_meta.html", document=cable))["dublin_core"]

    assert dublin_core["DC.type"] == ["manuscript"]
    assert dublin_core["DC.title"] == [cable.title]
    assert dublin_core["DC.creator"] == [CENTRAL_COMMITTEE, "Zhou Enlai"]
    assert dublin_core["DC.date"] == ["1965-03-05"]
    assert dublin_core["DC.identifier"] == [f"http://testserver{cable.get_absolute_url()}"]
    assert dublin_core["DC.rights"] == ["Public domain in the United States."]
    assert dublin_core["DC.language"] == ["zh"]
    assert dublin_core["DC.description"] == [cable.summary]
    assert dublin_core["DC.source"] == [
        "Archive of the Ministry of Foreign Affairs of the PRC, PRC FMA 109-03794-01, 1-4"]
    assert "DC.publisher" not in dublin_core  # the site is not the document's publisher


@pytest.mark.parametrize(("edtf", "citation_date", "dc_date"), [
    ("1965-03", "1965/03", "1965-03"),
    ("1965~", "1965", "1965"),
    ("1964/1965", "1964", "1964/1965"),
])
def test_dates_keep_their_precision_in_the_tags(db, edtf, citation_date, dc_date):
    record = embedded_metadata(
        head_of("web/includes/document_meta.html", document=make_document(date=edtf)))

    assert record["date"] == citation_date
    assert record["dublin_core"]["DC.date"] == [dc_date]


def test_an_undated_document_has_no_date_tags(db):
    record = embedded_metadata(
        head_of("web/includes/document_meta.html", document=make_document(date="")))

    assert record["date"] == ""
    assert "DC.date" not in record["dublin_core"]


def test_the_page_has_no_coins(cable):
    assert "Z3988" not in head_of("web/includes/document_meta.html", document=cable)


def test_the_json_ld_is_an_archive_component_held_by_its_archive(cable):
    [data] = embedded_metadata(
        head_of("web/includes/document_meta.html", document=cable))["json_ld"]

    assert data["@type"] == "ArchiveComponent"
    assert data["name"] == cable.title
    assert data["holdingArchive"]["@type"] == "ArchiveOrganization"
    assert data["holdingArchive"]["name"] == "Archive of the Ministry of Foreign Affairs of the PRC"
    assert data["holdingArchive"]["alternateName"] == "PRC FMA"
    assert data["itemLocation"] == "PRC FMA 109-03794-01, 1-4"
    assert data["dateCreated"] == "1965-03-05"
    assert data["inLanguage"] == ["zh"]
    assert [c["name"] for c in data["isPartOf"]] == ["Sino-Soviet Split, 1960-1984"]
    assert data["isPartOf"][0]["@type"] == "Collection"
    assert [s["name"] for s in data["about"]] == ["Student demonstrations"]
    assert data["author"][0] == {
        "@type": "Organization", "name": CENTRAL_COMMITTEE,
        "url": data["author"][0]["url"]}
    mentioned = {m["name"]: m for m in data["mentions"]}
    assert mentioned["Nikita Khrushchev"]["sameAs"] == "https://www.wikidata.org/wiki/Q35004"
    assert mentioned["Moscow"]["@type"] == "Place"
    assert mentioned["Moscow"]["geo"]["latitude"] == pytest.approx(55.7558)
    assert data["url"] == f"http://testserver{cable.get_absolute_url()}"


def test_the_json_ld_cannot_close_its_script_or_open_a_comment(db):
    title = "</script><script>alert(1)</script><!-- & more"
    document = make_document(title=title, authors=[make_person("A </script> B")])

    html = head_of("web/includes/document_meta.html", document=document)

    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script
    assert json.loads(script)["name"] == title
    assert "<script>alert" not in html


def test_the_collection_json_ld_is_a_collection_with_its_parts(db):
    parent = make_collection("Cold War History", date_span="1945/1991")
    collection = make_collection("Sino-Soviet Split, 1960-1984", date_span="1960/1984",
                                 short_description="The split between China and the USSR.",
                                 parent=parent)
    make_collection("Border clashes", parent=collection)

    class Page:
        class paginator:  # noqa: N801 (mirrors Django's Page.paginator.count)
            count = 20

    [data] = embedded_metadata(head_of(
        "web/includes/collection_meta.html", collection=collection, page=Page))["json_ld"]

    assert data["@type"] == "Collection"
    assert data["name"] == "Sino-Soviet Split, 1960-1984"
    assert data["temporalCoverage"] == "1960/1984"
    assert data["collectionSize"] == 20
    assert data["isPartOf"]["name"] == "Cold War History"
    assert [part["name"] for part in data["hasPart"]] == ["Border clashes"]
    assert data["publisher"]["@type"] == "ArchiveOrganization"


def test_the_site_json_ld_is_an_archive_organization_with_a_search_action(db):
    [data] = embedded_metadata(head_of("web/includes/site_meta.html"))["json_ld"]

    types = {node["@type"]: node for node in data["@graph"]}
    assert types["ArchiveOrganization"]["name"] == "Declassified"
    action = types["WebSite"]["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"


def test_an_organisation_author_is_typed_as_an_organization(db):
    document = make_document(authors=[make_person("TASS", kind=Person.ORGANIZATION)])

    [data] = embedded_metadata(
        head_of("web/includes/document_meta.html", document=document))["json_ld"]

    assert data["author"][0]["@type"] == "Organization"


def test_an_edition_document_is_saved_as_a_book_section_of_its_volume(db):
    from tests.citations.test_expected_notes import regular_volume

    document = regular_volume()
    record = embedded_metadata(head_of("web/includes/document_meta.html", document=document))

    assert record["itemType"] == "bookSection"
    assert record["bookTitle"] == "China"
    assert record["series"] == "Foreign Relations of the United States, 1964–1968"
    assert record["volume"] == "30"
    assert record["publisher"] == "Government Printing Office"
    assert record["date"] == "1998"
    assert record["url"] == "https://history.state.gov/historicaldocuments/frus1964-68v30/d100"
    assert record["dublin_core"]["DC.type"] == ["bookSection"]


def test_an_edition_documents_json_ld_is_this_page_dated_by_the_document(db):
    from tests.citations.test_expected_notes import regular_volume

    document = regular_volume()
    [data] = embedded_metadata(
        head_of("web/includes/document_meta.html", document=document))["json_ld"]

    assert data["@id"] == f"http://testserver{document.get_absolute_url()}"
    assert data["dateCreated"] == "1965-09-15"
    assert data["itemLocation"] == "Central Files, DEF 1 CHINAT-US"  # no source note, no marking
