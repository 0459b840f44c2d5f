"""The bulk actions importers write through: what they change, what they leave to editors,
what they record, and that their cost does not grow with the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from declassified.archive import actions
from declassified.archive.bulk_actions import (
    CollectionInput,
    PersonInput,
    bulk_get_or_create_people,
    bulk_merge_people,
    bulk_upsert_collections,
    get_or_create_language,
)
from declassified.archive.bulk_documents import (
    DocumentLinks,
    SourceDocumentInput,
    bulk_add_document_links,
    bulk_upsert_documents,
)
from declassified.archive.models import (
    Collection,
    Document,
    Person,
    Revision,
    SearchOutbox,
    Text,
)
from declassified.archive.revisions import Actor

pytestmark = pytest.mark.django_db
NEW = {"status": Document.PUBLISHED, "rights": "Public domain."}
JOB = Actor(None, "import job 7")


def source_document(n: int, **changes) -> SourceDocumentInput:
    values = {"source_id": f"vol/d{n}", "summary": f"Summary {n}.", "summary_generated": True,
              "transcript": f"<p>Text {n}.</p>"}
    fields = {"title": f"Telegram {n}", "date": "1961-01-12", "classification": "Secret"}
    fields.update(changes.pop("fields", {}))
    return SourceDocumentInput(fields=fields, **(values | changes))


def upsert(*documents: SourceDocumentInput):
    return bulk_upsert_documents(documents, defaults=NEW,
                                 language=get_or_create_language("en", actor=JOB), actor=JOB)


def test_new_documents_get_their_fields_defaults_derived_date_and_transcript():
    written = upsert(source_document(1))
    document = Document.objects.get(source_id="vol/d1")
    assert (written.created, written.updated, written.unchanged) == ([document.pk], [], 0)
    assert (document.title, document.slug, document.status, document.rights) == (
        "Telegram 1", "telegram-1", Document.PUBLISHED, "Public domain.")
    assert document.published_at is not None
    assert (document.display_date, str(document.date_earliest)) == ("January 12, 1961", "1961-01-12")
    assert document.texts.get().body == "<p>Text 1.</p>"
    revision = Revision.objects.of_document(document.pk).get()
    assert (revision.action, revision.via, revision.acting_user) == ("import", "import job 7", None)
    assert revision.changes["title"] == {"new": "Telegram 1"}
    assert revision.changes["source_id"] == {"new": "vol/d1"}
    assert "transcript" not in revision.changes and "body" not in revision.changes


def test_a_second_call_changes_only_what_differs_and_names_it_in_the_revision():
    upsert(source_document(1), source_document(2))
    revisions = Revision.objects.count()
    written = upsert(source_document(1), source_document(
        2, fields={"date": "1961-02-03"}, transcript="<p>Text 2, corrected.</p>"))
    second = Document.objects.get(source_id="vol/d2")
    assert (written.created, written.updated, written.unchanged) == ([], [second.pk], 1)
    assert written.touched == [second.pk]
    assert str(second.date_earliest) == "1961-02-03"
    assert second.texts.get().body == "<p>Text 2, corrected.</p>"
    text_row, document_row = Revision.objects.filter(pk__gt=0).order_by("id")[revisions:]
    assert (text_row.kind, text_row.action, text_row.document_id) == ("text", "edit", second.pk)
    assert text_row.changes == {"body": {"old": "<p>Text 2.</p>",
                                         "new": "<p>Text 2, corrected.</p>"}}
    assert (document_row.kind, document_row.action) == ("document", "import")
    assert document_row.changes == {"date": {"old": "1961-01-12", "new": "1961-02-03"}}


def test_what_editors_own_stays_theirs(alice):
    upsert(source_document(1))
    document = Document.objects.get()
    document.summary, document.summary_generated = "An editor's summary.", False
    document.status = Document.WITHDRAWN
    actions.do_save_document(document, acting_user=alice)
    translation = actions.do_save_text(
        Text(document=document, kind=Text.TRANSLATION, language_id="en", body="<p>Mine.</p>",
             position=1), acting_user=alice)

    written = upsert(source_document(1, fields={"title": "Telegram One"}, summary="New."))

    document.refresh_from_db()
    assert written.updated == [document.pk]
    assert (document.title, document.slug) == ("Telegram One", "telegram-one")
    assert (document.summary, document.status) == ("An editor's summary.", Document.WITHDRAWN)
    assert Text.objects.get(pk=translation.pk).body == "<p>Mine.</p>"


def test_thirty_times_the_documents_take_at_most_a_few_more_batches():
    counts = []
    english = get_or_create_language("en", actor=JOB)
    for count in (3, 90):
        documents = [source_document(n) for n in range(count)]
        with CaptureQueriesContext(connection) as queries:
            bulk_upsert_documents(documents, defaults=NEW, language=english, actor=JOB)
        counts.append(len(queries))
        Document.objects.all().delete()
    assert counts[0] <= 6
    assert counts[0] <= counts[1] <= counts[0] + 3  # SQLite caps the parameters of a query


def test_collections_are_upserted_by_source_id_and_report_their_changes():
    first = bulk_upsert_collections(actor=JOB, collections=[
        CollectionInput("vol", {"title": "Volume", "description": "<p onclick='x()'>About</p>"}),
        CollectionInput("vol/ch1", {"title": "Chapter 1", "position": 0}, parent="vol"),
    ])
    volume, chapter = first.by_source_id["vol"], first.by_source_id["vol/ch1"]
    assert first.created == ["vol", "vol/ch1"] and first.changed == {}
    assert (chapter.parent_id, volume.description) == (volume.pk, "<p>About</p>")

    again = bulk_upsert_collections(actor=JOB, collections=[
        CollectionInput("vol", {"title": "Volume", "description": "<p>About</p>"}),
        CollectionInput("vol/ch1", {"title": "Chapter One", "position": 0}, parent="vol"),
    ])
    assert again.created == []
    assert again.changed == {"vol/ch1": {"title": ("Chapter 1", "Chapter One")}}
    assert Collection.objects.get(pk=chapter.pk).slug == "chapter-one"
    assert not hasattr(again.by_source_id["vol/ch1"], "_frus_changed")
    rows = Revision.objects.filter(kind=Revision.COLLECTION).order_by("id")
    assert [(r.object_id, r.action) for r in rows] == [
        (str(volume.pk), "create"), (str(chapter.pk), "create"), (str(chapter.pk), "edit")]
    assert rows[2].changes["title"] == {"old": "Chapter 1", "new": "Chapter One"}


def test_links_are_added_once_and_never_removed():
    written = upsert(source_document(1))
    document = Document.objects.get()
    volume = bulk_upsert_collections([CollectionInput("vol", {"title": "Volume"})],
                                     actor=JOB).by_source_id["vol"]
    rusk = bulk_merge_people([PersonInput("frus:rusk|dean", "Rusk, Dean")],
                             actor=JOB)["frus:rusk|dean"]
    links = DocumentLinks(languages={(document.pk, "en")}, people={(document.pk, rusk.pk)},
                          collections={(document.pk, volume.pk)})
    assert bulk_add_document_links(links, actor=JOB, created=written.created) == set()
    assert bulk_add_document_links(links, actor=JOB) == set()
    assert bulk_add_document_links(DocumentLinks(authors={(document.pk, rusk.pk)}),
                                   actor=JOB) == {document.pk}
    assert list(document.people.all()) == list(document.authors.all()) == [rusk]
    assert list(document.collections.all()) == [volume]
    assert list(document.languages.values_list("code", flat=True)) == ["en"]


def test_links_added_to_an_existing_document_are_recorded_and_restorable(alice):
    written = upsert(source_document(1))
    document = Document.objects.get()
    volume = bulk_upsert_collections([CollectionInput("vol", {"title": "Volume"})],
                                     actor=JOB).by_source_id["vol"]
    rusk = bulk_merge_people([PersonInput("frus:rusk|dean", "Rusk, Dean")],
                             actor=JOB)["frus:rusk|dean"]
    bulk_add_document_links(DocumentLinks(languages={(document.pk, "en")}), actor=JOB,
                            created=written.created)
    imported = Revision.objects.of_document(document.pk).latest("id")

    gained = bulk_add_document_links(DocumentLinks(
        people={(document.pk, rusk.pk)}, collections={(document.pk, volume.pk)}), actor=JOB)

    assert gained == {document.pk}
    membership, tags = Revision.objects.of_document(document.pk).filter(
        pk__gt=imported.pk).order_by("id")
    assert (membership.kind, membership.action, membership.object_id) == (
        "membership", "create", str(volume.pk))
    assert tags.changes == {"people": {"old": [], "new": [{"id": rusk.pk, "name": "Rusk, Dean"}]}}
    actions.do_restore_document(document, imported, acting_user=alice)
    assert list(document.people.all()) == [] and list(document.collections.all()) == []


def test_people_merge_by_source_key_and_keep_what_editors_wrote(alice):
    found = bulk_merge_people([PersonInput("frus:rusk|dean", "Rusk, Dean", variants=["Dean Rusk"]),
                               PersonInput("frus:rusk|dean", "Rusk, D.")], actor=JOB)
    rusk = found["frus:rusk|dean"]
    assert (rusk.name, rusk.variants, Person.objects.count()) == ("Rusk, Dean", ["Dean Rusk"], 1)
    rusk.description = "Secretary of State (edited)"
    actions.do_save_entity(rusk, acting_user=alice)

    again = bulk_merge_people([PersonInput("frus:rusk|dean", "Rusk, Dean G.", "Secretary")],
                              actor=JOB)

    rusk.refresh_from_db()
    assert again["frus:rusk|dean"].pk == rusk.pk
    assert rusk.description == "Secretary of State (edited)"
    assert rusk.variants == ["Dean Rusk", "Rusk, Dean G."]
    rows = Revision.objects.of_object(Revision.PERSON, rusk.pk).order_by("id")
    assert [(r.action, r.via, r.acting_user) for r in rows] == [
        ("create", "import job 7", None), ("edit", "", alice), ("edit", "import job 7", None)]
    assert rows[2].changes == {"variants": {"old": ["Dean Rusk"],
                                            "new": ["Dean Rusk", "Rusk, Dean G."]}}


def test_organisations_found_again_are_left_as_they_are():
    embassy = PersonInput("frus-org:embassy in france", "Embassy in France", kind=Person.ORGANIZATION)
    created = bulk_get_or_create_people([embassy], actor=JOB)["frus-org:embassy in france"]
    found = bulk_get_or_create_people([PersonInput(embassy.source_key, "The Embassy in France")],
                                      actor=JOB)
    assert found[embassy.source_key].pk == created.pk
    assert Person.objects.get().name == "Embassy in France"
    assert Person.objects.get().variants == []
    assert bulk_get_or_create_people([], actor=JOB) == {}
    assert Revision.objects.of_object(Revision.PERSON, created.pk).count() == 1


def test_nothing_here_enqueues_the_search_index_itself():
    """The importer enqueues every document it touched once, at the end of its transaction."""
    written = upsert(source_document(1))
    assert not SearchOutbox.objects.exists()
    actions.enqueue_reindex(written.touched)
    assert list(SearchOutbox.objects.values_list("document_id", flat=True)) == written.touched
