"""Nothing leaks: drafts and withdrawn documents are absent from every API answer to the
public (anonymous readers, and accounts without archive rights, with or without a token)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from declassified import search
from declassified.archive.models import Document
from tests.api.conftest import ApiClient
from tests.factories import (
    make_collection,
    make_document,
    make_person,
    make_place,
    make_repository,
    make_subject,
)

SECRET = "Zebrafinch"  # a word only the hidden documents contain


@pytest.fixture
def archive(db):
    """One public document and one hidden one of each status, sharing every tag."""
    tags = {"collections": [make_collection("Split")], "people": [make_person()],
            "places": [make_place()], "subjects": [make_subject()]}
    repository = make_repository()
    public = make_document(title="Public cable", repository=repository, **tags)
    hidden = [
        make_document(status=status, title=f"{SECRET} {status}", summary=f"{SECRET} summary",
                      source_id=f"hidden/{status}", repository=repository, **tags)
        for status in (Document.DRAFT, Document.WITHDRAWN)
    ]
    public.related.set(hidden)
    search.apply_pending()
    return public, hidden, tags, repository


@pytest.fixture(params=["anonymous", "charlie-session", "charlie-token"])
def reader(request, charlie):
    if request.param == "anonymous":
        return ApiClient()
    if request.param == "charlie-token":
        from declassified.api import tokens

        return ApiClient(tokens.do_create_token(charlie, "reader")[1])
    api = ApiClient()
    api.client.force_login(charlie)
    return api


def every_read_url(public, hidden, tags, repository) -> list[str]:
    urls = [
        "/api/v1/documents?limit=100", "/api/v1/collections",
        f"/api/v1/collections/{tags['collections'][0].pk}", f"/api/v1/documents/{public.pk}",
        f"/api/v1/search?q={SECRET}&status=all", "/api/v1/search?status=draft",
        f"/api/v1/documents/{public.pk}/citation",
    ]
    for name, path in (("people", "people"), ("places", "places"), ("subjects", "subjects")):
        entity = tags[name][0]
        urls += [f"/api/v1/{path}", f"/api/v1/{path}/{entity.pk}",
                 f"/api/v1/documents?{name[:-1] if name != 'people' else 'person'}={entity.pk}"]
    urls += [f"/api/v1/repositories/{repository.pk}",
             f"/api/v1/documents?repository={repository.pk}",
             f"/api/v1/documents?collection={tags['collections'][0].pk}"]
    return urls


def test_hidden_documents_appear_in_no_list_count_or_record(archive, reader):
    public, hidden, tags, repository = archive

    for url in every_read_url(*archive):
        response = reader.get(url)
        assert response.status_code == 200, url
        body = json.dumps(response.json(), ensure_ascii=False)
        assert SECRET not in body, url
        assert all(f'"id": {d.pk},' not in body for d in hidden), url
        assert '"status"' not in body, url
    counts = [reader.get(f"/api/v1/{p}/{tags[k][0].pk}").json()["document_count"]
              for p, k in (("people", "people"), ("places", "places"), ("subjects", "subjects"))]
    assert counts == [1, 1, 1]
    assert reader.get(f"/api/v1/repositories/{repository.pk}").json()["document_count"] == 1


def test_hidden_documents_are_404s_by_id_source_id_and_citation(archive, reader):
    _, hidden, _, _ = archive

    for document in hidden:
        for url in (f"/api/v1/documents/{document.pk}",
                    f"/api/v1/documents?source_id={document.source_id}",
                    f"/api/v1/documents/{document.pk}/citation"):
            response = reader.get(url)
            assert response.status_code == 404, url
            assert SECRET not in response.content.decode(), url


def test_editors_see_what_the_public_does_not(archive, alice_api):
    _, hidden, _, _ = archive

    listed = [d["id"] for d in alice_api.get("/api/v1/documents").json()["results"]]

    assert {d.pk for d in hidden} <= set(listed)
    assert alice_api.get(f"/api/v1/documents/{hidden[0].pk}").json()["status"] == "draft"


def test_a_public_document_lists_only_public_related_documents(archive):
    public, _, _, _ = archive

    related = Client().get(f"/api/v1/documents/{public.pk}").json()["related"]

    assert related == []


@pytest.fixture(autouse=True)
def _public_reads_may_come_from_the_response_cache(response_cache):
    """As in production: what the public reads may be answered from the response cache,
    so these tests also prove that it never answers with what has changed since."""
