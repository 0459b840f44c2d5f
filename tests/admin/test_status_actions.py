"""Bulk publish, withdraw and return to draft on the document list (editors only)."""

from __future__ import annotations

import pytest

from declassified.archive.models import Document, Revision, SearchOutbox
from tests.factories import make_document

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/archive/document/"


def run_action(client, action: str, documents):
    return client.post(
        LIST_URL,
        {"action": action, "_selected_action": [d.pk for d in documents], "index": "0"},
        follow=True,
    )


def test_alice_publishes_selected_drafts(alice_client, alice):
    drafts = [make_document(status=Document.DRAFT) for _ in range(3)]
    SearchOutbox.objects.all().delete()
    response = run_action(alice_client, "publish_selected", drafts[:2])
    assert "2 documents published." in response.content.decode()
    statuses = [Document.objects.get(pk=d.pk).status for d in drafts]
    assert statuses == [Document.PUBLISHED, Document.PUBLISHED, Document.DRAFT]
    published = Document.objects.get(pk=drafts[0].pk)
    assert published.published_at is not None
    revision = Revision.objects.of_document(published.pk).first()
    assert (revision.acting_user, revision.action, revision.changes["status"]) == (
        alice, "publish", {"old": "draft", "new": "published"}
    )
    assert set(SearchOutbox.objects.values_list("document_id", flat=True)) == {
        drafts[0].pk, drafts[1].pk
    }


def test_it_says_how_many_were_already_in_that_state(alice_client):
    documents = [make_document(status=Document.PUBLISHED), make_document(status=Document.DRAFT)]
    response = run_action(alice_client, "publish_selected", documents)
    assert "1 document published. 1 was already published." in response.content.decode()


def test_alice_withdraws_and_returns_to_draft(alice_client):
    document = make_document(status=Document.PUBLISHED)
    page = run_action(alice_client, "withdraw_selected", [document]).content.decode()
    assert "1 document withdrawn." in page
    assert Document.objects.get(pk=document.pk).status == Document.WITHDRAWN
    page = run_action(alice_client, "return_to_draft", [document]).content.decode()
    assert "1 document returned to draft." in page
    assert Document.objects.get(pk=document.pk).status == Document.DRAFT


def test_editors_are_offered_the_status_actions(alice_client):
    make_document()
    page = alice_client.get(LIST_URL).content.decode()
    for action in ("publish_selected", "withdraw_selected", "return_to_draft"):
        assert f'value="{action}"' in page


def test_bulk_delete_goes_through_the_actions(alice_client):
    documents = [make_document(), make_document()]
    SearchOutbox.objects.all().delete()
    response = alice_client.post(LIST_URL, {
        "action": "delete_selected", "_selected_action": [d.pk for d in documents],
        "post": "yes",
    })
    assert response.status_code == 302
    assert not Document.objects.filter(pk__in=[d.pk for d in documents]).exists()
    assert set(SearchOutbox.objects.values_list("document_id", flat=True)) == {
        d.pk for d in documents
    }


@pytest.fixture(autouse=True)
def _public_reads_may_come_from_the_response_cache(response_cache):
    """As in production: what the public reads may be answered from the response cache,
    so these tests also prove that it never answers with what has changed since."""
