"""Editing documents through the back office: every save goes through the actions."""

from __future__ import annotations

import pytest

from declassified.archive.models import Document, Language, Revision, SearchOutbox, Text
from tests.admin.formdata import document_change_form, document_form
from tests.factories import make_collection, make_document, make_person

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/archive/document/add/"


def change_url(document: Document) -> str:
    return f"/admin/archive/document/{document.pk}/change/"


@pytest.fixture
def russian(db):
    return Language.objects.create(code="ru", name="Russian")


@pytest.fixture
def english(db):
    return Language.objects.create(code="en", name="English")


def test_alice_creates_a_draft_with_a_translation(alice_client, english, russian):
    collection = make_collection("Sino-Soviet Split, 1960-1984")
    author = make_person("Nikita Khrushchev")
    SearchOutbox.objects.all().delete()
    data = document_form(
        title="Cable from Moscow", date="1965-03-05", summary="On the talks.",
        document_type="Cable", languages=[russian.pk], authors=[author.pk],
        texts=[{"kind": "translation", "language": "en", "translator": "A. Translator",
                "position": "0", "body": "<p>Text<script>alert(1)</script></p>",
                "footnotes": ""}],
        memberships=[{"collection": collection.pk}],
    )
    response = alice_client.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    document = Document.objects.get(title="Cable from Moscow")
    assert document.status == Document.DRAFT
    assert document.display_date == "March 5, 1965"
    assert list(document.collections.all()) == [collection]
    assert list(document.authors.all()) == [author]
    text = document.texts.get()
    assert text.translator == "A. Translator" and "script" not in text.body  # sanitised
    revisions = list(Revision.objects.of_document(document.pk).order_by("id"))
    assert {r.acting_user.username for r in revisions} == {"alice"}
    assert [(r.kind, r.action) for r in revisions] == [
        ("document", "create"), ("document", "edit"), ("text", "create"),
        ("membership", "create"),
    ]
    assert {"title", "date", "summary", "document_type"} <= set(revisions[0].changes)
    assert revisions[0].changes["title"] == {"new": "Cable from Moscow"}
    assert revisions[1].changes == {
        "languages": {"old": [], "new": [{"id": "ru", "name": "Russian"}]},
        "authors": {"old": [], "new": [{"id": author.pk, "name": "Nikita Khrushchev"}]},
    }
    assert revisions[2].changes["translator"] == {"new": "A. Translator"}
    assert revisions[3].changes["collection"]["new"]["id"] == collection.pk
    assert SearchOutbox.objects.filter(document_id=document.pk).exists()


def test_a_wrong_date_is_a_message_on_the_form(alice_client):
    response = alice_client.post(ADD_URL, document_form(title="Undatable", date="March 1965"))
    assert response.status_code == 200
    assert "is not an EDTF date" in response.content.decode()
    assert not Document.objects.filter(title="Undatable").exists()


def test_editing_records_only_the_fields_that_changed(alice_client, alice):
    document = make_document(title="Old title", status=Document.PUBLISHED)
    old_summary = document.summary
    response = alice_client.post(change_url(document), document_change_form(
        document, title="New title", summary="Better summary."
    ))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "New title"
    assert document.status == Document.PUBLISHED  # an edit does not unpublish
    latest = Revision.objects.of_document(document.pk).first()
    assert (latest.acting_user, latest.action) == (alice, "edit")
    assert latest.changes == {
        "title": {"old": "Old title", "new": "New title"},
        "summary": {"old": old_summary, "new": "Better summary."},
    }


def test_saving_without_changes_records_nothing(alice_client):
    document = make_document()
    before = Revision.objects.count()
    SearchOutbox.objects.all().delete()
    response = alice_client.post(change_url(document), document_change_form(document))
    assert response.status_code == 302
    assert Revision.objects.count() == before
    assert not SearchOutbox.objects.exists()


def test_removing_a_text_goes_through_the_actions(alice_client, alice):
    document = make_document(text="<p>Only text</p>")
    data = document_change_form(document)
    data["texts-0-DELETE"] = "on"
    response = alice_client.post(change_url(document), data)
    assert response.status_code == 302
    assert not Text.objects.filter(document=document).exists()
    removal = Revision.objects.of_document(document.pk).first()
    assert (removal.kind, removal.action, removal.acting_user) == ("text", "delete", alice)
    assert removal.changes["body"] == {"old": "<p>Only text</p>"}


def test_the_change_page_offers_history_and_view_on_site(alice_client):
    document = make_document(status=Document.DRAFT)
    page = alice_client.get(change_url(document)).content.decode()
    assert f"/admin/archive/document/{document.pk}/history/" in page
    assert "View on site" in page


def test_view_on_site_leads_to_the_public_page(alice_client):
    document = make_document(title="Cable to Beijing")
    response = alice_client.get(f"/admin/r/{_content_type_id()}/{document.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(document.get_absolute_url())


def _content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Document).pk


def test_history_names_who_changed_which_fields(alice_client):
    document = make_document(title="Old title")
    alice_client.post(change_url(document), document_change_form(document, title="New title"))
    response = alice_client.get(f"/admin/archive/document/{document.pk}/history/")
    assert response.status_code == 200
    rows = response.context["page_obj"].object_list
    assert [(r.who, r.action, [row.name for row in r.rows][:1]) for r in rows] == [
        ("alice", "edit", ["title"]), ("factory", "create", ["slug"]),
    ]
    page = response.content.decode()
    assert "alice" in page and "factory" in page
    assert "Old title" in page and "New title" in page


def test_history_of_an_unknown_document_is_not_an_error(alice_client):
    response = alice_client.get("/admin/archive/document/999999/history/")
    assert response.status_code == 302  # the admin's "does not exist" redirect


def test_deleting_a_document_queues_its_removal_from_search(alice_client):
    document = make_document()
    pk = document.pk
    SearchOutbox.objects.all().delete()
    response = alice_client.post(f"/admin/archive/document/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Document.objects.filter(pk=pk).exists()
    assert SearchOutbox.objects.filter(document_id=pk).exists()


def test_the_type_field_suggests_types_already_in_use(alice_client):
    make_document(document_type="Cipher Telegram")
    page = alice_client.get(ADD_URL).content.decode()
    assert '<datalist id="id_document_type_suggestions">' in page
    assert '<option value="Cipher Telegram">' in page


def test_number_participants_and_call_number_are_edited_with_history(alice_client):
    document = make_document(title="Memorandum of Conversation")
    form = alice_client.get(change_url(document)).content.decode()
    for name in ("number", "participants", "call_number"):
        assert f'name="{name}"' in form

    response = alice_client.post(change_url(document), document_change_form(
        document, number="49", participants="President Kennedy\nChiang Ching-kuo",
        call_number="National Security Files, Countries Series, China"))

    assert response.status_code == 302, response.content.decode()[:2000]
    document.refresh_from_db()
    assert (document.number, document.call_number) == (
        "49", "National Security Files, Countries Series, China")
    assert document.participants.splitlines() == ["President Kennedy", "Chiang Ching-kuo"]
    revision = Revision.objects.of_document(document.pk).latest("id")
    assert revision.changes["number"] == {"old": "", "new": "49"}
    assert set(revision.changes) == {"number", "participants", "call_number"}
