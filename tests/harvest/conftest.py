"""Fixtures of the harvesting tests: the official schemas (offline) and a small archive with
a published, a withdrawn and a draft document."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from declassified.archive import actions
from declassified.archive.models import Collection, Document
from tests.factories import make_collection, make_document, make_person, make_place, make_subject

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "schemas"


@pytest.fixture(scope="session")
def oai_schema() -> xmlschema.XMLSchema:
    """OAI-PMH 2.0 with oai_dc, loaded from tests/data/schemas; remote loading is refused."""
    return xmlschema.XMLSchema(
        [str(SCHEMAS / "OAI-PMH.xsd"), str(SCHEMAS / "oai_dc.xsd")], allow="local"
    )


@pytest.fixture(scope="session")
def sitemap_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "sitemap.xsd"), allow="local")


def schema_errors(schema: xmlschema.XMLSchema, xml: bytes) -> list[str]:
    """Every validation error of a document; the instance's schemaLocation hints are ignored
    so nothing is fetched from the network."""
    root = etree.fromstring(xml)
    return [str(error.reason) for error in schema.iter_errors(root, use_location_hints=False)]


@pytest.fixture(autouse=True)
def _harvest_settings(settings):
    """Identifiers come from the request host (oai:testserver:…) unless a test configures one.
    (tests/conftest.py gives each test its own DUMPS_DIR and no background refresh.)"""
    settings.OAI_REPOSITORY_IDENTIFIER = ""


@dataclass
class Archive:
    collection: Collection
    other_collection: Collection
    published: Document
    withdrawn: Document
    draft: Document


@pytest.fixture
def archive(db) -> Archive:
    """One published, one withdrawn and one draft document in the same collection."""
    collection = make_collection("Sino-Soviet Split, 1960-1984",
                                 short_description="Cables on the split.")
    other = make_collection("Cuban Missile Crisis")
    mao = make_person("Mao Zedong")
    published = make_document(
        title="Cable from the Chinese Embassy in Moscow", date="1962-10",
        collections=[collection], authors=[make_person("Embassy of the PRC in Moscow")],
        people=[mao], places=[make_place("Moscow")], subjects=[make_subject("Sino-Soviet split")],
        text="<p>Translated text.</p>", classification="Secret", rights="Public domain",
        source_citation="AVPRF f. 0100", document_type="Cable",
    )
    withdrawn = make_document(title="Withdrawn minutes", collections=[collection, other],
                              people=[make_person("Withdrawn Person")])
    actions.do_withdraw_document(withdrawn, acting_user=None, via="test")
    draft = make_document(title="Draft telegram", status=Document.DRAFT, collections=[collection],
                          subjects=[make_subject("Draft-only subject")])
    return Archive(collection, other, published, withdrawn, draft)
