"""OAI-PMH at /oai through the test client: the six verbs, errors, paging and visibility.
Every response is validated against the OAI-PMH and oai_dc schemas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from lxml import etree

from declassified.archive import actions
from declassified.archive.models import CollectionMembership, Document
from declassified.harvest.oai_requests import TOKEN_SALT
from tests.factories import make_collection, make_document
from tests.harvest.conftest import schema_errors

NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}
IDENTIFIER = "oai:testserver:document/{}"


@pytest.fixture
def oai(client, oai_schema):
    """GET (or POST) /oai with arguments; returns the parsed, schema-valid response."""

    def call(method: str = "get", **arguments):
        response = getattr(client, method)("/oai", arguments)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/xml")
        assert schema_errors(oai_schema, response.content) == []
        return etree.fromstring(response.content)

    return call


def error_code(root) -> str | None:
    error = root.find("oai:error", NS)
    return None if error is None else error.get("code")


def identifiers(root) -> list[str]:
    return [e.text for e in root.iterfind(".//oai:header/oai:identifier", NS)]


def test_it_identifies_the_repository(oai, archive):
    root = oai(verb="Identify")
    assert root.findtext("oai:Identify/oai:baseURL", namespaces=NS) == "http://testserver/oai"
    assert root.findtext("oai:Identify/oai:deletedRecord", namespaces=NS) == "persistent"
    assert root.findtext("oai:Identify/oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert root.findtext("oai:Identify/oai:protocolVersion", namespaces=NS) == "2.0"


def test_it_answers_post_like_get(oai, archive):
    assert identifiers(oai("post", verb="ListIdentifiers", metadataPrefix="oai_dc")) == \
        identifiers(oai(verb="ListIdentifiers", metadataPrefix="oai_dc"))


def test_it_lists_oai_dc_as_the_only_format(oai, archive):
    root = oai(verb="ListMetadataFormats")
    prefixes = [e.text for e in root.iterfind(".//oai:metadataPrefix", NS)]
    assert prefixes == ["oai_dc"]
    schema = root.findtext(".//oai:schema", namespaces=NS)
    assert schema == "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"


def test_it_lists_formats_of_a_record_and_rejects_drafts(oai, archive):
    assert error_code(oai(verb="ListMetadataFormats",
                          identifier=IDENTIFIER.format(archive.published.pk))) is None
    assert error_code(oai(verb="ListMetadataFormats",
                          identifier=IDENTIFIER.format(archive.draft.pk))) == "idDoesNotExist"


def test_it_lists_collections_as_sets_with_names(oai, archive):
    root = oai(verb="ListSets")
    sets = {s.findtext("oai:setSpec", namespaces=NS): s.findtext("oai:setName", namespaces=NS)
            for s in root.iterfind(".//oai:set", NS)}
    assert sets == {
        f"collection:{archive.collection.pk}": "Sino-Soviet Split, 1960-1984",
        f"collection:{archive.other_collection.pk}": "Cuban Missile Crisis",
    }


def test_it_says_there_are_no_sets_without_collections(oai, db):
    assert error_code(oai(verb="ListSets")) == "noSetHierarchy"


def test_it_gets_a_published_record_in_dublin_core(oai, archive):
    root = oai(verb="GetRecord", metadataPrefix="oai_dc",
               identifier=IDENTIFIER.format(archive.published.pk))
    dc = root.find(".//oai_dc:dc", NS)
    assert dc.findtext("dc:title", namespaces=NS) == "Cable from the Chinese Embassy in Moscow"
    assert dc.findtext("dc:date", namespaces=NS) == "1962-10"
    assert dc.findtext("dc:creator", namespaces=NS) == "Embassy of the PRC in Moscow"
    assert dc.findtext("dc:identifier", namespaces=NS).startswith(
        f"http://testserver/document/{archive.published.pk}/")
    assert {e.text for e in dc.iterfind("dc:subject", NS)} == {"Sino-Soviet split", "Mao Zedong"}
    assert dc.findtext("dc:coverage", namespaces=NS) == "Moscow"
    assert dc.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") == (
        "http://www.openarchives.org/OAI/2.0/oai_dc/ "
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    set_specs = [e.text for e in root.iterfind(".//oai:header/oai:setSpec", NS)]
    assert set_specs == [f"collection:{archive.collection.pk}"]


def test_it_reports_a_withdrawn_document_as_deleted_without_metadata(oai, archive):
    root = oai(verb="GetRecord", metadataPrefix="oai_dc",
               identifier=IDENTIFIER.format(archive.withdrawn.pk))
    header = root.find(".//oai:header", NS)
    assert header.get("status") == "deleted"
    assert root.find(".//oai:metadata", NS) is None
    assert b"Withdrawn minutes" not in etree.tostring(root)


def test_it_never_shows_a_draft(oai, archive):
    root = oai(verb="GetRecord", metadataPrefix="oai_dc",
               identifier=IDENTIFIER.format(archive.draft.pk))
    assert error_code(root) == "idDoesNotExist"
    for verb in ("ListIdentifiers", "ListRecords"):
        listed = oai(verb=verb, metadataPrefix="oai_dc")
        assert IDENTIFIER.format(archive.draft.pk) not in identifiers(listed)
        assert b"Draft telegram" not in etree.tostring(listed)


def test_it_lists_published_and_withdrawn_records(oai, archive):
    root = oai(verb="ListRecords", metadataPrefix="oai_dc")
    assert sorted(identifiers(root)) == sorted(
        [IDENTIFIER.format(archive.published.pk), IDENTIFIER.format(archive.withdrawn.pk)])
    deleted = [h.findtext("oai:identifier", namespaces=NS)
               for h in root.iterfind(".//oai:header[@status='deleted']", NS)]
    assert deleted == [IDENTIFIER.format(archive.withdrawn.pk)]
    assert root.find(".//oai:resumptionToken", NS) is None  # one page: no token at all


def test_it_selects_records_by_set(oai, archive):
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc",
               set=f"collection:{archive.other_collection.pk}")
    assert identifiers(root) == [IDENTIFIER.format(archive.withdrawn.pk)]
    for unknown in ("collection:999999", "collection:99999999999999", "subject:1"):
        missing = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set=unknown)
        assert error_code(missing) == "noRecordsMatch"


def test_it_selects_records_by_datestamp_at_both_granularities(oai, archive):
    Document.objects.filter(pk=archive.published.pk).update(
        updated_at=dt.datetime(2020, 5, 17, 10, 30, 15, 500000, tzinfo=dt.UTC))
    published = IDENTIFIER.format(archive.published.pk)

    def listed(**dates):
        root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **dates)
        return identifiers(root) if error_code(root) is None else error_code(root)

    assert listed(until="2020-05-17T10:30:15Z") == [published]
    assert listed(until="2020-05-17T10:30:14Z") == "noRecordsMatch"
    same_second = {"from": "2020-05-17T10:30:15Z", "until": "2020-05-17T10:30:15Z"}
    assert listed(**same_second) == [published]
    assert listed(**{"from": "2020-05-17", "until": "2020-05-17"}) == [published]
    assert listed(until="2020-05-16") == "noRecordsMatch"
    assert published not in listed(**{"from": "2020-05-18"})
    root = oai(verb="GetRecord", metadataPrefix="oai_dc", identifier=published)
    assert root.findtext(".//oai:datestamp", namespaces=NS) == "2020-05-17T10:30:15Z"


@pytest.mark.parametrize("arguments, code", [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-13-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "17 May 2020"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-05-17T10:00:00+02:00"},
     "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-05-17",
      "until": "2020-05-18T00:00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-05-18",
      "until": "2020-05-17"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "no spaces"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "ListRecords", "metadataPrefix": "oai dc"}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "junk"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "junk"}, "badResumptionToken"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere:document/1"},
     "idDoesNotExist"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc",
      "identifier": "oai:testserver:document/99999999999999999999"}, "idDoesNotExist"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "not a uri"}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:\x00"}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "marc21", "identifier": "oai:testserver:document/1"},
     "cannotDisseminateFormat"),
])
def test_it_answers_bad_requests_with_the_protocol_error(oai, archive, arguments, code):
    root = oai(**arguments)
    assert error_code(root) == code
    request = root.find("oai:request", NS)
    if code in {"badVerb", "badArgument"}:
        assert dict(request.attrib) == {}  # malformed requests are not echoed


def test_it_pages_with_resumption_tokens_over_a_stable_cursor(oai, archive, settings,
                                                             django_assert_max_num_queries):
    settings.OAI_PAGE_SIZE = 2
    for n in range(3):
        make_document(title=f"Extra {n}", collections=[archive.collection])
    seen, token, pages = [], None, 0
    while True:
        arguments = {"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"}
        with django_assert_max_num_queries(12):
            root = oai(verb="ListRecords", **arguments)
        seen += identifiers(root)
        pages += 1
        element = root.find(".//oai:resumptionToken", NS)
        assert element.get("completeListSize") == "5"
        assert element.get("cursor") == str(2 * (pages - 1))
        token = element.text
        if not token:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 5


def test_it_rejects_expired_and_misused_tokens(oai, archive, settings):
    settings.OAI_PAGE_SIZE = 1
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.findtext(".//oai:resumptionToken", namespaces=NS)
    assert error_code(oai(verb="ListRecords", resumptionToken=token)) == "badResumptionToken"
    assert error_code(oai(verb="ListSets", resumptionToken=token)) == "badResumptionToken"
    assert error_code(oai(verb="ListIdentifiers", resumptionToken=token + "x")) \
        == "badResumptionToken"
    settings.OAI_RESUMPTION_TOKEN_HOURS = 0
    assert error_code(oai(verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"


def test_it_rejects_a_forged_token_without_a_valid_signature(oai, archive):
    forged = signing.dumps({"kind": "ListRecords"}, salt="another salt")
    assert error_code(oai(verb="ListRecords", resumptionToken=forged)) == "badResumptionToken"
    damaged = signing.dumps({"kind": "ListRecords", "after": ["yesterday", 1]}, salt=TOKEN_SALT)
    assert error_code(oai(verb="ListRecords", resumptionToken=damaged)) == "badResumptionToken"


def test_it_pages_sets(oai, archive, settings):
    settings.OAI_PAGE_SIZE = 1
    make_collection("Third collection")
    specs, token = [], None
    while True:
        root = oai(verb="ListSets", **({"resumptionToken": token} if token else {}))
        specs += [e.text for e in root.iterfind(".//oai:setSpec", NS)]
        token = root.findtext(".//oai:resumptionToken", namespaces=NS)
        if not token:
            break
    assert len(specs) == len(set(specs)) == 3


def test_a_record_changes_datestamp_when_its_collections_change(oai, archive):
    Document.objects.filter(pk=archive.published.pk).update(
        updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    actions.do_save_membership(
        CollectionMembership(document=archive.published, collection=archive.other_collection),
        acting_user=None, via="test",
    )
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-01-02")
    assert error_code(root) == "noRecordsMatch"


def test_it_uses_the_configured_repository_identifier(oai, archive, settings):
    settings.OAI_REPOSITORY_IDENTIFIER = "archive.example.org"
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert f"oai:archive.example.org:document/{archive.published.pk}" in identifiers(root)


def test_a_list_page_costs_a_bounded_number_of_queries(oai, archive, settings,
                                                       django_assert_max_num_queries):
    settings.OAI_PAGE_SIZE = 100
    for n in range(20):
        make_document(title=f"More {n}", collections=[archive.collection], text="<p>x</p>")
    with django_assert_max_num_queries(12):
        records = oai(verb="ListRecords", metadataPrefix="oai_dc")
    with django_assert_max_num_queries(4):
        headers = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")

    # The published, the withdrawn (a deleted header) and the twenty: one page, all there.
    assert len(records.findall(".//oai:record", NS)) == 22
    assert len(records.findall(".//oai:metadata", NS)) == 21
    assert len(identifiers(headers)) == 22


def test_it_refuses_other_http_methods(client, db):
    assert client.put("/oai").status_code == 405


@pytest.mark.parametrize("query", [
    "verb=%ff%fe", "verb=ListRecords&metadataPrefix=oai_dc&from=%00",
    "verb=ListRecords&resumptionToken=" + "A" * 5000,
    "verb=ListRecords&resumptionToken=.eJzLSM3JyVcozy_KSQEAGgQEXQ:1:abc",
    "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:testserver:document/-1",
    "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:testserver:document/%D9%A3",
    "verb=ListIdentifiers&metadataPrefix=oai_dc&set=collection:-1",
    "verb=ListIdentifiers&metadataPrefix=oai_dc&until=9999-12-31",
    "verb=ListIdentifiers&metadataPrefix=oai_dc&from=0000-01-01",
])
def test_junk_requests_get_a_valid_response_never_a_server_error(client, oai_schema, archive,
                                                                 query):
    response = client.get(f"/oai?{query}")
    assert response.status_code == 200
    assert schema_errors(oai_schema, response.content) == []


def test_a_post_that_is_not_a_form_is_a_bad_verb(client, oai_schema, db):
    response = client.post("/oai", b"<xml/>", content_type="application/xml")
    assert response.status_code == 200
    assert error_code(etree.fromstring(response.content)) == "badVerb"
