"""The response cache (declassified/response_cache.py): repeated anonymous public reads
cost one query, and a cached answer never outlives the state it was rendered from."""

from __future__ import annotations

import pytest
from django.test import Client

from declassified import search
from declassified.archive import actions
from declassified.archive.models import Document
from tests.factories import make_collection, make_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on(response_cache):
    pass


def answered_from_the_cache(queries) -> bool:
    """Only the archive's generation was read: the answer came from the cache."""
    sql = [query["sql"] for query in queries.captured_queries]
    return len(sql) == 1 and "archive_revision" in sql[0]


def test_a_repeated_anonymous_page_costs_one_query_and_is_the_same_page(
        client, django_assert_num_queries):
    document = make_document(title="Memorandum of conversation with Kosygin")
    first = client.get(document.get_absolute_url())
    with django_assert_num_queries(1) as queries:
        again = client.get(document.get_absolute_url())
    assert answered_from_the_cache(queries)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_withdrawn_document_is_gone_at_the_next_request(client):
    document = make_document(title="Cable on the border clashes")
    url = document.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(f"/api/v1/documents/{document.pk}").status_code == 200
    actions.do_withdraw_document(document, acting_user=None, via="test")
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/documents/{document.pk}").status_code == 404


def test_an_edit_shows_at_the_next_request(client):
    collection = make_collection("Sino-Soviet Split")
    assert b"Sino-Soviet Split" in client.get(collection.get_absolute_url()).content
    collection.title = "The Sino-Soviet Split, 1960-1984"
    actions.do_save_collection(collection, acting_user=None, via="test")
    assert b"The Sino-Soviet Split, 1960-1984" in client.get(collection.get_absolute_url()).content


def test_search_answers_follow_the_index(client):
    search.apply_pending()
    assert client.get("/api/v1/search?q=Ussuri").json()["total"] == 0
    assert "Report on the" not in client.get("/search/?q=Ussuri").content.decode()
    document = make_document(title="Report on the Ussuri incident")
    search.apply_pending()
    assert client.get("/api/v1/search?q=Ussuri").json()["total"] == 1
    assert document.get_absolute_url() in client.get("/search/?q=Ussuri").content.decode()


def test_an_editor_is_never_answered_from_the_cache_nor_fills_it(client, alice,
                                                                  django_assert_max_num_queries):
    draft = make_document(title="Draft telegram", status=Document.DRAFT)
    editor = Client()
    editor.force_login(alice)
    assert editor.get(draft.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    published = make_document(title="Published telegram")
    editor.get(published.get_absolute_url())
    with django_assert_max_num_queries(100) as anonymous:
        client.get(published.get_absolute_url())
    assert not answered_from_the_cache(anonymous)  # rendered, not the editor's answer


def test_an_api_client_with_a_token_is_never_answered_from_the_cache(client,
                                                                      django_assert_max_num_queries):
    document = make_document()
    client.get(f"/api/v1/documents/{document.pk}")
    with django_assert_max_num_queries(100) as with_token:
        client.get(f"/api/v1/documents/{document.pk}", HTTP_AUTHORIZATION="Bearer nonsense")
    assert not answered_from_the_cache(with_token)


def test_the_back_office_and_oai_are_never_cached(client, django_assert_max_num_queries):
    client.get("/oai?verb=Identify")
    with django_assert_max_num_queries(100) as oai:
        client.get("/oai?verb=Identify")
    assert not answered_from_the_cache(oai)
