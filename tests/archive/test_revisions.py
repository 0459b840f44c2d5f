"""Every action leaves a trace: a Revision row with old and new values, in its transaction."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError
from django.db.models import ProtectedError

from declassified.archive import actions, upsert
from declassified.archive.models import (
    Attachment,
    Collection,
    CollectionMembership,
    Document,
    Language,
    Person,
    Revision,
    Text,
)
from tests.factories import (
    make_collection,
    make_document,
    make_language,
    make_person,
    make_subject,
    make_text,
)

pytestmark = pytest.mark.django_db
AS_TEST = {"acting_user": None, "via": "test"}


def latest(**filters) -> Revision:
    return Revision.objects.filter(**filters).first()


def test_an_edit_records_the_old_and_new_value_of_each_changed_field(alice):
    document = make_document(title="Cable", summary="Short.", document_type="Cable")
    document.title, document.summary = "Cable from Moscow", "Longer summary."
    actions.do_save_document(document, acting_user=alice)
    revision = latest(document_id=document.pk)
    assert (revision.kind, revision.action, revision.object_id) == ("document", "edit", str(document.pk))
    assert (revision.acting_user, revision.acting_user_name, revision.who) == (alice, "alice", "alice")
    assert revision.changes == {
        "title": {"old": "Cable", "new": "Cable from Moscow"},
        "summary": {"old": "Short.", "new": "Longer summary."},
    }


def test_a_create_records_its_small_values_and_who_acted_as_a_program():
    document = actions.do_save_document(
        Document(title="Minutes", date="1963-07", summary="Talks."), acting_user=None, via="cli")
    revision = latest(document_id=document.pk)
    assert (revision.action, revision.acting_user, revision.via, revision.who) == (
        "create", None, "cli", "cli")
    assert revision.changes["title"] == {"new": "Minutes"}
    assert revision.changes["date"] == {"new": "1963-07"}
    assert "rights" not in revision.changes  # empty values are left out


def test_a_program_must_name_itself():
    with pytest.raises(ValueError, match="names itself"):
        actions.do_save_document(Document(title="Anonymous"), acting_user=None)
    assert not Document.objects.exists() and not Revision.objects.exists()


def test_an_edit_that_changes_nothing_records_nothing():
    document = make_document()
    before = Revision.objects.count()
    actions.do_save_document(document, **AS_TEST)
    assert Revision.objects.count() == before


def test_tags_are_recorded_as_lists_of_ids_and_names(alice):
    zhou, mao = make_person("Zhou Enlai"), make_person("Mao Zedong")
    document = make_document(people=[zhou])
    assert actions.do_set_document_tags(document, {"people": [zhou, mao]}, acting_user=alice)
    assert latest(document_id=document.pk).changes == {"people": {
        "old": [{"id": zhou.pk, "name": "Zhou Enlai"}],
        "new": [{"id": zhou.pk, "name": "Zhou Enlai"}, {"id": mao.pk, "name": "Mao Zedong"}],
    }}
    before = Revision.objects.count()
    assert not actions.do_set_document_tags(document, {"people": [mao, zhou]}, acting_user=alice)
    assert Revision.objects.count() == before


def test_status_changes_are_named_for_the_act(alice):
    document = make_document(status=Document.DRAFT)
    actions.do_publish_document(document, acting_user=alice)
    actions.do_withdraw_document(document, acting_user=alice)
    actions.do_set_status([document], Document.DRAFT, acting_user=alice)
    rows = Revision.objects.of_document(document.pk).order_by("-id")[:3]
    assert [(r.action, r.changes["status"]) for r in reversed(rows)] == [
        ("publish", {"old": "draft", "new": "published"}),
        ("withdraw", {"old": "published", "new": "withdrawn"}),
        ("draft", {"old": "withdrawn", "new": "draft"}),
    ]


def test_deleting_a_document_keeps_its_history_with_its_id_and_title(alice):
    document = make_document(title="Cable to Hanoi", text="<p>Text</p>")
    pk = document.pk
    actions.do_delete_document(document, acting_user=alice)
    history = list(Revision.objects.of_document(pk).order_by("id"))
    assert [(r.kind, r.action) for r in history] == [
        ("document", "create"), ("text", "create"), ("document", "delete")]
    deletion = history[-1]
    assert (deletion.object_id, deletion.object_label) == (str(pk), "Cable to Hanoi")
    assert deletion.changes["title"] == {"old": "Cable to Hanoi"}


def test_texts_record_creation_edits_with_both_bodies_and_deletion_with_everything(alice):
    document = make_document()
    text = make_text(document, "<p>First draft.</p>", translator="A. Translator")
    created = latest(kind="text")
    assert (created.action, created.document_id, created.object_label) == (
        "create", document.pk, "Translation (en)")
    assert created.changes["translator"] == {"new": "A. Translator"}
    assert "body" not in created.changes  # a create leaves long texts out
    text.body = "<p>Second draft.</p>"
    actions.do_save_text(text, acting_user=alice)
    assert latest(kind="text").changes == {
        "body": {"old": "<p>First draft.</p>", "new": "<p>Second draft.</p>"}}
    actions.do_delete_text(text, acting_user=alice)
    deletion = latest(kind="text")
    assert deletion.action == "delete"
    assert deletion.changes["body"] == {"old": "<p>Second draft.</p>"}
    assert deletion.changes["language"] == {"old": {"id": "en", "name": "English"}}


def test_files_record_their_metadata_never_their_bytes(alice):
    document = make_document()
    attachment = Attachment(document=document, title="Scan")
    attachment.file.save("scan.pdf", ContentFile(b"%PDF-1.4 scan"), save=False)
    actions.do_save_attachment(attachment, acting_user=alice)
    created = latest(kind="attachment")
    assert created.changes["title"] == {"new": "Scan"}
    assert created.changes["size"] == {"new": 13}
    assert created.changes["file"]["new"].endswith(".pdf")
    actions.do_delete_attachment(attachment, acting_user=alice)
    assert latest(kind="attachment").changes["title"] == {"old": "Scan"}


def test_memberships_record_joining_moving_and_leaving(alice):
    split, crisis = make_collection("Sino-Soviet Split"), make_collection("Cuban Missile Crisis")
    document = make_document()
    membership = CollectionMembership(document=document, collection=split)
    actions.do_save_membership(membership, acting_user=alice)
    membership.collection = crisis
    actions.do_save_membership(membership, acting_user=alice)
    actions.do_delete_membership(membership, acting_user=alice)
    rows = Revision.objects.filter(kind="membership").order_by("id")
    assert [(r.action, r.object_label, r.document_id) for r in rows] == [
        ("create", "Sino-Soviet Split", document.pk),
        ("delete", "Sino-Soviet Split", document.pk),
        ("create", "Cuban Missile Crisis", document.pk),
        ("delete", "Cuban Missile Crisis", document.pk),
    ]


def test_collections_record_edits_related_links_and_deletion(alice):
    collection = make_collection("Split", short_description="Old.")
    other = make_collection("Crisis")
    document = make_document(collections=[collection])
    collection.short_description = "New."
    actions.do_save_collection(collection, acting_user=alice)
    assert latest(kind="collection").changes == {
        "short_description": {"old": "Old.", "new": "New."}}
    actions.do_set_related_collections(collection, [other], acting_user=alice)
    assert latest(kind="collection", object_id=str(collection.pk)).changes == {
        "related": {"old": [], "new": [{"id": other.pk, "name": "Crisis"}]}}
    pk = collection.pk
    actions.do_delete_collection(collection, acting_user=alice)
    assert latest(kind="collection", object_id=str(pk)).action == "delete"
    left = latest(kind="membership", document_id=document.pk)
    assert (left.action, left.note) == ("delete", "The collection was deleted.")


def test_entities_record_edits_and_deletion(alice):
    person = make_person("Zhou Enlai", variants=["周恩来"])  # the other spellings generated
    assert person.variants == ["周恩来", "Chou En-lai", "周恩來"]
    person.variants = ["周恩来", "Chou En-lai"]
    actions.do_save_entity(person, acting_user=alice)
    assert latest(kind="person").changes == {
        "variants": {"old": ["周恩来", "Chou En-lai", "周恩來"], "new": ["周恩来", "Chou En-lai"]}}
    subject = make_subject("Border clashes")
    actions.do_delete_entity(subject, acting_user=alice)
    deletion = latest(kind="subject")
    assert (deletion.action, deletion.object_label) == ("delete", "Border clashes")


def test_a_failing_action_leaves_no_revision(alice):
    russian = make_language("ru", "Russian")
    make_text(make_document(), language="ru")
    before = Revision.objects.count()
    with pytest.raises(ProtectedError):  # a language texts are written in
        actions.do_delete_entity(russian, acting_user=alice)
    assert Revision.objects.count() == before
    assert Language.objects.filter(pk="ru").exists()


def test_a_failing_import_leaves_no_revision():
    make_document(source_id="frus/d1")
    before = Revision.objects.count()
    inputs = [upsert.DocumentInput(title="New"), upsert.DocumentInput(title="Clash", id=999,
                                                                      source_id="frus/d2")]
    inputs[1].fields = {"source_id": "frus/d1"}  # a unique source ID taken: fails on write
    with pytest.raises(IntegrityError):
        upsert.do_upsert_documents(inputs, acting_user=None, via="import")
    assert Revision.objects.count() == before
    assert not Document.objects.filter(title="New").exists()


def test_an_import_records_what_it_changed_texts_and_collections_first():
    data = upsert.DocumentInput(
        id=700, title="Cable", fields={"date": "1965-03-05"}, people=["Zhou Enlai"],
        collections=["Split"],
        texts=[upsert.TextInput("translation", "en", "<p>One.</p>")],
    )
    upsert.do_upsert_documents([data], acting_user=None, via="import")
    created = list(Revision.objects.order_by("id"))
    assert [(r.kind, r.action) for r in created] == [
        ("person", "create"), ("language", "create"), ("collection", "create"),
        ("text", "create"), ("membership", "create"), ("document", "import"),
    ]
    assert created[-1].changes["people"] == {"new": [{"id": Person.objects.get().pk,
                                                      "name": "Zhou Enlai"}]}
    data.title = "Cable, corrected"
    data.texts = [upsert.TextInput("translation", "en", "<p>Two.</p>")]
    data.collections = []
    upsert.do_upsert_documents([data], acting_user=None, via="import")
    again = list(Revision.objects.filter(pk__gt=created[-1].pk).order_by("id"))
    assert [(r.kind, r.action) for r in again] == [
        ("text", "delete"), ("text", "create"), ("membership", "delete"), ("document", "import")]
    assert again[0].changes["body"] == {"old": "<p>One.</p>"}
    assert again[-1].changes == {"title": {"old": "Cable", "new": "Cable, corrected"}}


def test_an_import_that_keeps_the_texts_does_not_rewrite_them():
    data = upsert.DocumentInput(title="Cable", texts=[upsert.TextInput("translation", "en", "<p>x</p>")])
    upsert.do_upsert_documents([data], acting_user=None, via="import")
    text = Text.objects.get()
    data.id, data.title = Document.objects.get().pk, "Cable, retitled"
    upsert.do_upsert_documents([data], acting_user=None, via="import")
    assert Text.objects.get().pk == text.pk
    assert not Revision.objects.filter(kind="text", action="delete").exists()


def test_collections_the_import_creates_are_recorded():
    upsert.do_upsert_documents([upsert.DocumentInput(title="Cable", collections=["New one"])],
                               acting_user=None, via="import")
    collection = Collection.objects.get()
    assert latest(kind="collection").object_id == str(collection.pk)


def test_related_documents_record_the_link_on_both_sides(alice):
    cable, reply, other = make_document(title="Cable"), make_document(title="Reply"), make_document()
    actions.do_set_document_tags(cable, {"related": [reply]}, acting_user=alice)
    mirrored = latest(document_id=reply.pk)
    assert mirrored.changes == {"related": {"old": [], "new": [{"id": cable.pk, "name": "Cable"}]}}
    assert mirrored.note == "Linked from Cable."
    actions.do_set_document_tags(cable, {"related": [other]}, acting_user=alice)
    assert latest(document_id=reply.pk).changes == {
        "related": {"old": [{"id": cable.pk, "name": "Cable"}], "new": []}}


def test_related_collections_record_the_link_on_both_sides(alice):
    split, crisis = make_collection("Split"), make_collection("Crisis")
    actions.do_set_related_collections(split, [crisis], acting_user=alice)
    assert latest(kind="collection", object_id=str(crisis.pk)).changes == {
        "related": {"old": [], "new": [{"id": split.pk, "name": "Split"}]}}
