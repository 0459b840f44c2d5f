"""Cursor pagination: a harvest follows `next` and visits every visible record once."""

from __future__ import annotations

import re

import pytest

from declassified.api.openapi import openapi_document
from declassified.api.pagination import encode_cursor
from declassified.archive.models import Document
from tests.factories import make_collection, make_document, make_person


def harvest(client, url: str, django_assert_max_num_queries, max_queries: int) -> list[dict]:
    records = []
    while url:
        with django_assert_max_num_queries(max_queries):
            response = client.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        records.extend(page["results"])
        url = page["next"]
    return records


@pytest.fixture
def archive_of_250(db):
    """250 documents: every 5th a draft, every 7th (not a draft) withdrawn."""
    documents = []
    for n in range(1, 251):
        status = (Document.DRAFT if n % 5 == 0 else
                  Document.WITHDRAWN if n % 7 == 0 else Document.PUBLISHED)
        documents.append(make_document(status=status, title=f"Document {n}"))
    return documents


def test_a_harvest_of_250_documents_visits_each_public_one_once_and_no_drafts(
    client, archive_of_250, django_assert_max_num_queries
):
    records = harvest(client, "/api/v1/documents?limit=100", django_assert_max_num_queries, 12)

    public = [d.pk for d in archive_of_250 if d.status == Document.PUBLISHED]
    assert [r["id"] for r in records] == public  # each once, in record-ID order
    assert len(public) == 172
    assert all("status" not in r for r in records)


def test_documents_added_during_a_harvest_never_appear_twice(
    client, archive_of_250, django_assert_max_num_queries
):
    first = client.get("/api/v1/documents", {"limit": 100}).json()
    late = make_document(title="Added while harvesting")
    rest = harvest(client, first["next"], django_assert_max_num_queries, 12)

    ids = [r["id"] for r in first["results"] + rest]
    assert len(ids) == len(set(ids))
    assert ids[-1] == late.pk


def test_the_default_page_is_50_and_the_last_page_has_no_next(client, archive_of_250):
    page = client.get("/api/v1/documents").json()
    last = client.get("/api/v1/documents", {"cursor": encode_cursor(archive_of_250[-1].pk)})

    assert len(page["results"]) == 50
    assert page["next"].startswith("http://testserver/api/v1/documents?cursor=")
    assert last.json() == {"results": [], "next": None}


def test_next_keeps_the_limit_and_filters(client, db):
    collection = make_collection("Split")
    for _ in range(3):
        make_document(collections=[collection])
    make_document()

    page = client.get("/api/v1/documents", {"collection": collection.pk, "limit": 2}).json()
    rest = client.get(page["next"]).json()

    assert "limit=2" in page["next"] and f"collection={collection.pk}" in page["next"]
    assert len(page["results"]) == 2 and len(rest["results"]) == 1 and rest["next"] is None


def test_editors_harvest_drafts_too_with_their_status(alice_api, db):
    draft = make_document(status=Document.DRAFT)
    published = make_document()

    records = alice_api.get("/api/v1/documents").json()["results"]

    assert {r["id"]: r["status"] for r in records} == {
        draft.pk: "draft", published.pk: "published"}


def test_a_person_filter_finds_each_document_once_whatever_the_roles(client, db):
    zhou = make_person("Zhou Enlai")
    both = make_document(authors=[zhou], people=[zhou])
    mentioned = make_document(people=[zhou])
    make_document(people=[make_person("Mao Zedong")])
    make_document(status=Document.DRAFT, authors=[zhou])

    records = client.get("/api/v1/documents", {"person": zhou.pk}).json()["results"]

    assert [r["id"] for r in records] == [both.pk, mentioned.pk]


@pytest.mark.parametrize("query", [
    "cursor=bogus", "cursor=YWZ0ZXI6LTE", "cursor=" + "A" * 50, "limit=0", "limit=101",
    "limit=ten", "limit=-1", "limit=", "person=abc", "subject=0", "place=99999999999", "collection=1.5",
])
def test_bad_paging_or_filter_parameters_are_json_400s(client, db, query):
    response = client.get(f"/api/v1/documents?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


@pytest.mark.parametrize("path", ["/api/v1/people", "/api/v1/places", "/api/v1/subjects",
                                  "/api/v1/repositories"])
def test_entity_lists_refuse_a_bad_cursor(client, db, path):
    response = client.get(path, {"cursor": "not-a-cursor"})

    assert response.status_code == 400 and "cursor" in response.json()["error"]


def test_the_documented_cursor_pattern_is_exactly_the_cursors_given_out():
    schema = openapi_document()["components"]["parameters"]["Cursor"]["schema"]
    pattern = re.compile(schema["pattern"])

    assert all(pattern.search(encode_cursor(n)) for n in (0, 1, 9, 10, 99, 100, 12345, 2**31 - 1))
    assert pattern.search("")  # no cursor: the first page
    for bad in ("bogus", "YWZ0ZXI6LTE", "YWZ0ZXI6", "YWZ0ZXI6MT" + "E" * 40):
        assert not pattern.search(bad), bad


def test_a_cursor_past_the_last_possible_id_is_an_empty_page(client, db):
    make_document()

    response = client.get("/api/v1/documents", {"cursor": encode_cursor(10**20)})

    assert response.status_code == 200 and response.json()["results"] == []
