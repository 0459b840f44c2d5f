"""IIIF Collections: a collection's published documents with pages, as manifest references,
in two queries however large the collection."""

from __future__ import annotations

import pytest
from django.test import Client

from declassified.archive.models import Document
from declassified.originals.manifests import validated
from tests.factories import make_collection, make_document
from tests.originals.page_fixtures import add_pages, rendered_page

pytestmark = pytest.mark.django_db


def collection_of(collection, client: Client | None = None) -> dict:
    response = (client or Client()).get(f"/iiif/3/collection/{collection.pk}/collection.json")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_it_lists_published_documents_with_pages_in_date_order_with_thumbnails(alice):
    collection = make_collection("Split", short_description="The split, in documents.")
    later = make_document(title="Later", date="1966-01-01", collections=[collection])
    earlier = make_document(title="Earlier", date="1960-01-01", collections=[collection])
    draft = make_document(title="Draft", status=Document.DRAFT, collections=[collection])
    make_document(title="Without pages", collections=[collection])
    page = rendered_page(earlier)
    add_pages(later, 2, like=page)
    add_pages(draft, 1, like=page)
    editor = Client()
    editor.force_login(alice)

    for client in (Client(), editor):  # editors too: a Collection lists published ones only
        data = collection_of(collection, client)

        assert [item["label"] for item in data["items"]] == [{"none": ["Earlier"]},
                                                             {"none": ["Later"]}]
    assert data["id"] == f"http://testserver/iiif/3/collection/{collection.pk}/collection.json"
    assert data["summary"] == {"none": ["The split, in documents."]}
    item = data["items"][0]
    assert item["id"] == f"http://testserver/iiif/3/document/{earlier.pk}/manifest.json"
    assert item["type"] == "Manifest"
    assert item["thumbnail"][0]["id"] == f"http://testserver/iiif/3/{page.pk}/full/,200/0/default.jpg"
    validated(data)


def test_every_item_is_a_manifest_that_answers():
    collection = make_collection()
    page = rendered_page(make_document(collections=[collection]))
    for _ in range(3):
        add_pages(make_document(collections=[collection]), 1, like=page)

    for item in collection_of(collection)["items"]:
        assert Client().get(item["id"]).status_code == 200


def test_a_large_collection_costs_two_queries(django_assert_max_num_queries):
    collection = make_collection()
    page = rendered_page(make_document(collections=[collection]))
    for _ in range(60):
        add_pages(make_document(collections=[collection]), 1, like=page)

    with django_assert_max_num_queries(2):
        data = collection_of(collection)

    assert len(data["items"]) == 61


def test_an_unknown_collection_is_a_404():
    response = Client().get("/iiif/3/collection/424242/collection.json")

    assert response.status_code == 404
    assert response.json() == {"error": "No collection has that ID."}


def test_a_collection_of_drafts_only_is_empty_to_everyone():
    collection = make_collection()
    draft = make_document(title="Hidden draft", status=Document.DRAFT, collections=[collection])
    rendered_page(draft)

    response = Client().get(f"/iiif/3/collection/{collection.pk}/collection.json")

    assert response.json()["items"] == []
    assert b"Hidden draft" not in response.content
