"""Drafts and withdrawn documents never reach the public through a citation URL."""

from __future__ import annotations

import pytest

from declassified.archive.models import Document
from tests.factories import make_document

CITATION_URLS = ["/document/{pk}/cite.bib", "/document/{pk}/cite.ris",
                 "/document/{pk}/cite.json", "/api/v1/documents/{pk}/citation",
                 "/api/v1/documents/{pk}/citation?style=mla"]


@pytest.mark.parametrize("status", [Document.DRAFT, Document.WITHDRAWN])
@pytest.mark.parametrize("url", CITATION_URLS)
def test_it_hides_unpublished_documents_from_the_public(client, db, status, url):
    document = make_document(status=status, title="Secret draft title")

    response = client.get(url.format(pk=document.pk))

    assert response.status_code == 404
    assert b"Secret draft title" not in response.content


@pytest.mark.parametrize("url", CITATION_URLS)
def test_it_hides_drafts_from_a_logged_in_stranger(client, charlie, url):
    document = make_document(status=Document.DRAFT)
    client.force_login(charlie)

    assert client.get(url.format(pk=document.pk)).status_code == 404


@pytest.mark.parametrize("url", CITATION_URLS)
def test_editors_can_cite_a_draft_they_are_preparing(alice_client, url):
    document = make_document(status=Document.DRAFT, title="Draft cable in preparation")

    response = alice_client.get(url.format(pk=document.pk))

    assert response.status_code == 200
    assert "draft cable in preparation" in response.content.decode().casefold()  # styles title-case


@pytest.mark.parametrize("pk", [999999, 2**31, 10**20])
@pytest.mark.parametrize("url", CITATION_URLS)
def test_unknown_ids_are_a_404_never_an_error(client, db, url, pk):
    assert client.get(url.format(pk=pk)).status_code == 404


def test_the_api_404_is_json(client, db):
    response = client.get("/api/v1/documents/999999/citation")

    assert response.json() == {"error": "No such document."}


@pytest.fixture(autouse=True)
def _public_reads_may_come_from_the_response_cache(response_cache):
    """As in production: what the public reads may be answered from the response cache,
    so these tests also prove that it never answers with what has changed since."""
