"""The back office's history pages, the restore, and the audit trail of every revision."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from declassified.archive import actions
from declassified.archive.models import Document, Revision
from tests.admin.formdata import document_change_form
from tests.factories import make_collection, make_document, make_person, make_text

pytestmark = pytest.mark.django_db


def history_url(document: Document) -> str:
    return f"/admin/archive/document/{document.pk}/history/"


def restore_url(document: Document, revision: Revision) -> str:
    return f"/admin/archive/document/{document.pk}/history/{revision.pk}/restore/"


def first_revision(document: Document) -> Revision:
    return Revision.objects.of_document(document.pk).order_by("id").first()


@pytest.fixture
def retitled(alice_client):
    """A document with a text, then retitled in the back office and its text corrected."""
    document = make_document(title="Old title", status=Document.PUBLISHED)
    text = make_text(document, "<p>The ambassador met Kosygin.</p><p>Second paragraph.</p>")
    alice_client.post(f"/admin/archive/document/{document.pk}/change/",
                      document_change_form(document, title="New title"))
    text.body = "<p>The ambassador met Brezhnev.</p><p>Second paragraph.</p>"
    actions.do_save_text(text, acting_user=User.objects.get(username="alice"))
    return document


def test_the_history_shows_old_and_new_values_and_a_diff_of_texts(alice_client, retitled):
    page = alice_client.get(history_url(retitled)).content.decode()
    assert re.search(r"<td>Old title</td>\s*<td>New title</td>", page)
    assert "The ambassador met <del>Kosygin.</del><ins>Brezhnev.</ins>" in page
    assert "Second paragraph." in page  # context around the change


def test_the_history_escapes_what_editors_typed(alice_client, alice):
    document = make_document(title="<script>alert('title')</script>")
    text = make_text(document, "<p>Before</p>")
    text.body = "<p>After &lt;img src=x onerror=alert(1)&gt;</p>"
    actions.do_save_text(text, acting_user=alice)
    page = alice_client.get(history_url(document)).content.decode()
    assert "<script>alert(" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_history_queries_do_not_grow_with_the_number_of_revisions(
        alice_client, alice, django_assert_max_num_queries):
    short, long = make_document(text="<p>a</p>"), make_document(text="<p>a</p>")
    for n in range(40):
        long.title = f"Title {n}"
        actions.do_save_document(long, acting_user=alice)
    with django_assert_max_num_queries(12) as short_queries:
        assert alice_client.get(history_url(short)).status_code == 200
    with django_assert_max_num_queries(len(short_queries)):
        assert alice_client.get(history_url(long)).status_code == 200


def test_editors_see_a_restore_button_on_every_revision_but_the_newest(alice_client, retitled):
    page = alice_client.get(history_url(retitled)).content.decode()
    revisions = list(Revision.objects.of_document(retitled.pk))
    assert restore_url(retitled, revisions[0]) not in page
    assert all(restore_url(retitled, r) in page for r in revisions[1:])


def test_restoring_asks_first_then_restores_and_records_it(alice_client, retitled):
    version = Revision.objects.of_document(retitled.pk).get(kind="text", action="create")
    confirmation = alice_client.get(restore_url(retitled, version))
    page = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert re.search(r"<td>New title</td>\s*<td>Old title</td>", page)
    assert "<del>Brezhnev.</del><ins>Kosygin.</ins>" in page
    assert Document.objects.get(pk=retitled.pk).title == "New title"  # nothing changed yet

    response = alice_client.post(restore_url(retitled, version))
    assert response.status_code == 302 and response["Location"] == history_url(retitled)
    assert Document.objects.get(pk=retitled.pk).title == "Old title"
    assert retitled.texts.get().body == "<p>The ambassador met Kosygin.</p><p>Second paragraph.</p>"
    restore = Revision.objects.of_document(retitled.pk).get(action="restore")
    assert restore.acting_user.username == "alice"
    assert "Old title" in alice_client.get(history_url(retitled)).content.decode()


def test_restoring_needs_the_csrf_token(alice, retitled):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = restore_url(retitled, first_revision(retitled))
    assert client.post(url).status_code == 403
    page = client.get(url)
    token = page.cookies["csrftoken"].value
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert Document.objects.get(pk=retitled.pk).title == "Old title"


def test_a_contributor_cannot_restore_a_published_document(client, bob, retitled):
    client.force_login(bob)
    url = restore_url(retitled, first_revision(retitled))
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Document.objects.get(pk=retitled.pk).title == "New title"
    assert "/restore/" not in client.get(history_url(retitled)).content.decode()


def test_strangers_cannot_restore(charlie, retitled):
    url = restore_url(retitled, first_revision(retitled))
    client = Client()  # (the `retitled` fixture logged the default client in as alice)
    assert client.post(url)["Location"].startswith("/admin/login/")  # anonymous
    client.force_login(charlie)  # logged in, not staff
    assert client.post(url)["Location"].startswith("/admin/login/")
    charlie.is_staff = True  # staff, but with no rights in the archive
    charlie.save()
    assert client.post(url).status_code == 403
    charlie.user_permissions.add(Permission.objects.get(codename="view_document"))
    assert client.post(url).status_code == 403  # may read the document, not change it
    assert Document.objects.get(pk=retitled.pk).title == "New title"


def test_unknown_revisions_and_wrong_methods_are_refused(alice_client, retitled):
    other = make_document()
    assert alice_client.get(f"/admin/archive/document/{retitled.pk}/history/999999/restore/"
                            ).status_code == 404
    assert alice_client.get(restore_url(retitled, first_revision(other))).status_code == 404
    assert alice_client.put(restore_url(retitled, first_revision(retitled))).status_code == 405


def test_the_audit_trail_keeps_deleted_documents_with_their_id_and_title(alice_client):
    document = make_document(title="Cable to be deleted", text="<p>x</p>")
    pk = document.pk
    alice_client.post(f"/admin/archive/document/{pk}/delete/", {"post": "yes"})
    assert not Document.objects.filter(pk=pk).exists()
    page = alice_client.get("/admin/archive/revision/").content.decode()
    assert f"?document_id={pk}\">{pk}: Cable to be deleted</a> (deleted)" in page
    assert f"/admin/archive/document/{pk}/" not in page  # no link to a page that is gone
    rows = alice_client.get(f"/admin/archive/revision/?document_id={pk}")
    assert rows.status_code == 200
    assert [r.action for r in rows.context["cl"].result_list] == ["delete", "create", "create"]


def test_a_revision_shows_its_changes_on_its_own_page(alice_client, retitled):
    revision = Revision.objects.of_document(retitled.pk).get(kind="document", action="edit")
    page = alice_client.get(f"/admin/archive/revision/{revision.pk}/change/").content.decode()
    assert re.search(r"<td>Old title</td>\s*<td>New title</td>", page)


def test_collections_and_entities_have_a_history(alice_client, alice):
    collection = make_collection("Split", short_description="Old description.")
    make_document(title="Member", collections=[collection])
    collection.short_description = "New description."
    actions.do_save_collection(collection, acting_user=alice)
    page = alice_client.get(f"/admin/archive/collection/{collection.pk}/history/").content.decode()
    assert re.search(r"<td>Old description.</td>\s*<td>New description.</td>", page)
    assert "document " in page  # the member joining the collection
    person = make_person("Chou En-lai")
    person.name = "Zhou Enlai"
    actions.do_save_entity(person, acting_user=alice)
    page = alice_client.get(f"/admin/archive/person/{person.pk}/history/").content.decode()
    assert re.search(r"<td>Chou En-lai</td>\s*<td>Zhou Enlai</td>", page)


def test_a_contributor_may_restore_a_draft(client, bob):
    draft = make_document(title="Draft title", status=Document.DRAFT)
    draft.title = "Changed title"
    actions.do_save_document(draft, acting_user=bob)
    client.force_login(bob)
    response = client.post(restore_url(draft, first_revision(draft)))
    assert response.status_code == 302
    assert Document.objects.get(pk=draft.pk).title == "Draft title"
