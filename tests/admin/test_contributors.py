"""Contributors (bob) write drafts; they never publish, withdraw or touch published work."""

from __future__ import annotations

import pytest

from declassified.archive.models import Document, Revision
from tests.admin.formdata import document_change_form, document_form
from tests.factories import make_document

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/archive/document/"
ADD_URL = "/admin/archive/document/add/"


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


def test_bob_creates_a_draft(bob_client, bob):
    response = bob_client.post(ADD_URL, document_form(title="Bob's draft", date="1961"))
    assert response.status_code == 302
    document = Document.objects.get(title="Bob's draft")
    assert document.status == Document.DRAFT
    assert Revision.objects.of_document(document.pk).get().acting_user == bob


def test_bob_cannot_choose_published(bob_client):
    page = bob_client.get(ADD_URL).content.decode()
    assert 'value="published"' not in page
    response = bob_client.post(ADD_URL, document_form(title="Sneaky", status="published"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Document.objects.filter(title="Sneaky").exists()


def test_bob_is_not_offered_the_status_actions(bob_client):
    make_document(status=Document.DRAFT)
    page = bob_client.get(LIST_URL).content.decode()
    assert "publish_selected" not in page and "withdraw_selected" not in page


def test_a_forged_publish_action_from_bob_changes_nothing(bob_client):
    draft = make_document(status=Document.DRAFT)
    bob_client.post(LIST_URL, {"action": "publish_selected", "_selected_action": [draft.pk]})
    assert Document.objects.get(pk=draft.pk).status == Document.DRAFT


def test_bob_edits_his_drafts(bob_client):
    draft = make_document(status=Document.DRAFT, title="Rough")
    url = f"/admin/archive/document/{draft.pk}/change/"
    response = bob_client.post(url, document_change_form(draft, title="Polished"))
    assert response.status_code == 302
    assert Document.objects.get(pk=draft.pk).title == "Polished"


@pytest.mark.parametrize("status", [Document.PUBLISHED, Document.WITHDRAWN])
def test_bob_cannot_change_published_or_withdrawn_documents(bob_client, status):
    document = make_document(status=status, title="Final")
    url = f"/admin/archive/document/{document.pk}/change/"
    page = bob_client.get(url)
    assert page.status_code == 200  # he may read it…
    assert 'name="_save"' not in page.content.decode()  # …but there is no save button
    response = bob_client.post(url, document_change_form(document, title="Changed"))
    assert response.status_code == 403
    assert Document.objects.get(pk=document.pk).title == "Final"


def test_bob_cannot_delete_documents(bob_client):
    draft = make_document(status=Document.DRAFT)
    response = bob_client.post(f"/admin/archive/document/{draft.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Document.objects.filter(pk=draft.pk).exists()
