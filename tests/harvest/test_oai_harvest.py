"""A real harvester (sickle) collects the whole repository from a live server; every response
it receives must be valid against the OAI-PMH and oai_dc schemas."""

from __future__ import annotations

import pytest
from sickle import Sickle

from declassified.archive import actions
from declassified.archive.models import Document
from tests.factories import make_collection, make_document
from tests.harvest.conftest import schema_errors


class RecordingSickle(Sickle):
    """Sickle that keeps the raw body of every response it received."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.responses: list[str] = []

    def harvest(self, **kwargs):
        response = super().harvest(**kwargs)
        self.responses.append(response.raw)
        return response


@pytest.fixture
def repository(transactional_db, settings):
    """25 published documents, 3 withdrawn and 3 drafts across two collections, 7 a page."""
    settings.OAI_PAGE_SIZE = 7
    cables, minutes = make_collection("Cables"), make_collection("Minutes")
    published = [
        make_document(title=f"Published {n}", collections=[cables if n % 2 else minutes],
                      date=["1962-10", "1965-03~", "1964/1965", ""][n % 4])
        for n in range(25)
    ]
    withdrawn = [make_document(title=f"Withdrawn {n}", collections=[cables]) for n in range(3)]
    for document in withdrawn:
        actions.do_withdraw_document(document, acting_user=None, via="test")
    drafts = [make_document(title=f"Draft {n}", status=Document.DRAFT, collections=[cables])
              for n in range(3)]
    return {"published": published, "withdrawn": withdrawn, "drafts": drafts}


def record_id(identifier: str) -> int:
    return int(identifier.rsplit("/", 1)[1])


@pytest.mark.parametrize("http_method", ["GET", "POST"])
def test_a_harvester_collects_every_published_document_exactly_once(
    live_server, repository, oai_schema, http_method
):
    harvester = RecordingSickle(f"{live_server.url}/oai", http_method=http_method, max_retries=0)
    records = list(harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))

    live = [record_id(r.header.identifier) for r in records if not r.header.deleted]
    deleted = [record_id(r.header.identifier) for r in records if r.header.deleted]
    assert sorted(live) == sorted(d.pk for d in repository["published"])
    assert sorted(deleted) == sorted(d.pk for d in repository["withdrawn"])
    assert not {d.pk for d in repository["drafts"]} & set(live + deleted)
    assert len(harvester.responses) == 4  # 28 records, 7 a page
    for raw in harvester.responses:
        assert schema_errors(oai_schema, raw.encode("utf-8")) == []
    titles = {r.metadata["title"][0] for r in records if not r.header.deleted}
    assert titles == {f"Published {n}" for n in range(25)}


def test_a_harvester_reads_identify_sets_identifiers_and_single_records(
    live_server, repository, oai_schema
):
    harvester = RecordingSickle(f"{live_server.url}/oai", max_retries=0)
    identify = harvester.Identify()
    assert identify.deletedRecord == "persistent"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert {s.setName for s in harvester.ListSets()} == {"Cables", "Minutes"}
    headers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=True))
    assert len(headers) == 25
    record = harvester.GetRecord(identifier=headers[0].identifier, metadataPrefix="oai_dc")
    assert record.metadata["title"][0].startswith("Published")
    formats = [f.metadataPrefix for f in harvester.ListMetadataFormats()]
    assert formats == ["oai_dc"]
    for raw in harvester.responses:
        assert schema_errors(oai_schema, raw.encode("utf-8")) == []


def test_a_set_harvest_includes_its_deleted_records(live_server, repository):
    harvester = Sickle(f"{live_server.url}/oai", max_retries=0)
    cables = repository["withdrawn"][0].collections.get()
    headers = list(harvester.ListIdentifiers(
        metadataPrefix="oai_dc", set=f"collection:{cables.pk}", ignore_deleted=False))
    assert sum(header.deleted for header in headers) == 3
    assert sum(not header.deleted for header in headers) == 12
