"""Restoring a document to an earlier revision: undoing the later ones, recorded as a restore."""

from __future__ import annotations

import pytest

from declassified.archive import actions
from declassified.archive.models import CollectionMembership, Document, Revision, Text
from declassified.archive.restore import NotRestorable, plan_restore
from tests.factories import make_collection, make_document, make_person, make_repository, make_text

pytestmark = pytest.mark.django_db


def state(document: Document) -> dict:
    document = Document.objects.get(pk=document.pk)
    return {
        "title": document.title, "summary": document.summary, "date": document.date,
        "display_date": document.display_date, "status": document.status,
        "repository": document.repository_id,
        "people": sorted(document.people.values_list("name", flat=True)),
        "texts": list(document.texts.values_list("kind", "language", "translator", "body")),
        "collections": sorted(document.collections.values_list("title", flat=True)),
    }


def newest(document: Document) -> Revision:
    return Revision.objects.of_document(document.pk).first()


@pytest.fixture
def edited(alice):
    """A document, the revision of its first version, and many later changes by alice."""
    zhou, mao = make_person("Zhou Enlai"), make_person("Mao Zedong")
    split, crisis = make_collection("Sino-Soviet Split"), make_collection("Cuban Missile Crisis")
    document = make_document(title="Cable", summary="On the talks.", date="1965-03-05",
                             people=[zhou], collections=[split], repository=make_repository())
    first_text = make_text(document, "<p>One.</p>", translator="A. Translator")
    version = newest(document)
    before = state(document)

    document.title, document.summary, document.date = "Cable, retitled", "New summary.", "1966"
    document.repository = None
    actions.do_save_document(document, acting_user=alice)
    actions.do_set_document_tags(document, {"people": [mao]}, acting_user=alice)
    first_text.body, first_text.translator = "<p>One, corrected.</p>", "B. Translator"
    actions.do_save_text(first_text, acting_user=alice)
    make_text(document, "<p>Второй.</p>", kind="transcript", language="ru")
    membership = CollectionMembership.objects.get(document=document, collection=split)
    actions.do_delete_membership(membership, acting_user=alice)
    actions.do_save_membership(CollectionMembership(document=document, collection=crisis),
                               acting_user=alice)
    return document, version, before


def test_restore_brings_back_fields_tags_texts_and_collections(edited, alice):
    document, version, before = edited
    assert state(document) != before
    plan = actions.do_restore_document(document, version, acting_user=alice)
    assert not plan.notes
    assert state(document) == before


def test_restore_is_recorded_as_a_revision_of_its_own(edited, alice):
    document, version, _ = edited
    actions.do_restore_document(document, version, acting_user=alice)
    restore = Revision.objects.of_document(document.pk).filter(action="restore").get()
    assert (restore.acting_user, restore.kind) == (alice, "document")
    assert restore.changes["title"] == {"old": "Cable, retitled", "new": "Cable"}
    assert restore.changes["people"]["new"][0]["name"] == "Zhou Enlai"
    assert f"revision {version.pk}" in restore.note
    # texts and memberships changed through their own actions, recorded as usual
    later = Revision.objects.of_document(document.pk).filter(pk__gt=restore.pk)
    assert sorted((r.kind, r.action) for r in later) == [
        ("membership", "create"), ("membership", "delete"), ("text", "delete"), ("text", "edit"),
    ]


def test_a_restore_can_itself_be_undone(edited, alice):
    document, version, _ = edited
    last_edit = newest(document)
    edited_state = state(document)
    actions.do_restore_document(document, version, acting_user=alice)
    actions.do_restore_document(document, last_edit, acting_user=alice)
    assert state(document) == edited_state


def test_restoring_a_deleted_text_puts_it_back_whole(alice):
    document = make_document()
    text = make_text(document, "<p>Keep me.</p>", translator="A. Translator")
    version = newest(document)
    actions.do_delete_text(text, acting_user=alice)
    actions.do_restore_document(document, version, acting_user=alice)
    restored = Text.objects.get(document=document)
    assert (restored.body, restored.translator, restored.language_id) == (
        "<p>Keep me.</p>", "A. Translator", "en")


def test_restore_leaves_the_status_and_says_so(alice):
    document = make_document(title="Draft title", status=Document.DRAFT)
    version = newest(document)
    document.title = "Published title"
    actions.do_save_document(document, acting_user=alice)
    actions.do_publish_document(document, acting_user=alice)
    plan = actions.do_restore_document(document, version, acting_user=alice)
    document.refresh_from_db()
    assert (document.title, document.status) == ("Draft title", Document.PUBLISHED)
    assert any("status stays published" in note for note in plan.notes)


def test_what_no_longer_exists_is_left_out_and_named(alice):
    ghost = make_person("Ghost Person")
    document = make_document(people=[ghost])
    version = newest(document)
    actions.do_set_document_tags(document, {"people": []}, acting_user=alice)
    actions.do_delete_entity(ghost, acting_user=alice)
    plan = plan_restore(document, version)
    assert plan.is_empty
    assert plan.notes == ["No longer in the archive, so not restored to people: Ghost Person."]


def test_a_source_id_another_document_took_is_not_restored(alice):
    document = make_document(source_id="frus/d1")
    version = newest(document)
    document.source_id = "frus/d2"
    actions.do_save_document(document, acting_user=alice)
    make_document(source_id="frus/d1")
    plan = plan_restore(document, version)
    assert "source_id" not in plan.fields
    assert "now belongs to another document" in plan.notes[0]


def test_a_version_before_unrecorded_changes_cannot_be_restored(alice):
    document = make_document()
    version = newest(document)
    Revision.objects.create(kind="document", object_id=str(document.pk), document_id=document.pk,
                            action="edit", changes={"title": {}}, values_recorded=False)
    with pytest.raises(NotRestorable, match="before their values were kept"):
        actions.do_restore_document(document, version, acting_user=alice)


def test_another_documents_revision_is_refused(alice):
    document, other = make_document(), make_document()
    with pytest.raises(NotRestorable):
        plan_restore(document, newest(other))


def test_restoring_the_newest_version_changes_nothing(alice):
    document = make_document()
    before = Revision.objects.count()
    plan = actions.do_restore_document(document, newest(document), acting_user=alice)
    assert plan.is_empty and Revision.objects.count() == before


def test_restoring_a_related_link_records_it_on_the_other_document_too(alice):
    cable, reply = make_document(title="Cable"), make_document(title="Reply")
    actions.do_set_document_tags(cable, {"related": [reply]}, acting_user=alice)
    version = newest(cable)
    actions.do_set_document_tags(cable, {"related": []}, acting_user=alice)
    actions.do_restore_document(cable, version, acting_user=alice)
    assert list(reply.related.all()) == [cable]
    assert newest(reply).note == "Linked from Cable."
