"""The Dublin Core mapping: dc:date as plain ISO from the EDTF, and text XML cannot carry."""

from __future__ import annotations

import pytest
from lxml import etree

from declassified.archive import actions
from declassified.archive.models import Language, Text
from tests.factories import make_document, make_person
from tests.harvest.conftest import schema_errors

DC = "{http://purl.org/dc/elements/1.1/}"


def get_record(client, oai_schema, document):
    response = client.get("/oai", {"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                   "identifier": f"oai:testserver:document/{document.pk}"})
    assert schema_errors(oai_schema, response.content) == []
    return etree.fromstring(response.content)


@pytest.mark.parametrize("edtf, plain", [
    ("1962-10-05", "1962-10-05"),
    ("1962-10", "1962-10"),
    ("1965", "1965"),
    ("1965-03~", "1965-03"),
    ("1965-03?", "1965-03"),
    ("1964/1965", "1964/1965"),
    ("1964-11/1965-02", "1964-11/1965-02"),
    ("1965-03-01/1965-03-15", "1965-03-01/1965-03-15"),
    ("196X", "1960/1969"),
    ("", None),
])
def test_dc_date_is_plain_iso_without_edtf_qualifiers(client, oai_schema, db, edtf, plain):
    root = get_record(client, oai_schema, make_document(date=edtf))
    dates = [e.text for e in root.iter(f"{DC}date")]
    assert dates == ([plain] if plain else [])


def test_text_xml_cannot_carry_is_dropped_not_a_server_error(client, oai_schema, db):
    document = make_document(title="Control\x0bcharacter\x01title", summary="Bell\x07")
    root = get_record(client, oai_schema, document)
    assert root.findtext(f".//{DC}title") == "Controlcharactertitle"


def test_contributors_and_translators_are_dc_contributors(client, oai_schema, db):
    document = make_document(title="Translated")
    document.contributors.set([make_person("Donor Foundation")])
    english = Language.objects.create(code="en", name="English")
    actions.do_save_text(Text(document=document, language=english, body="<p>x</p>",
                              translator="Jane Translator"), acting_user=None, via="test")
    root = get_record(client, oai_schema, document)
    assert [e.text for e in root.iter(f"{DC}contributor")] == ["Donor Foundation",
                                                               "Jane Translator"]
