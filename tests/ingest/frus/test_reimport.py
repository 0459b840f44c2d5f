"""Re-importing FRUS volumes: in place, idempotent, and respectful of editors' work."""

from __future__ import annotations

import shutil
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from declassified.archive import actions
from declassified.archive.models import (
    Collection,
    Document,
    Person,
    Revision,
    SearchOutbox,
    Subject,
    Text,
)
from declassified.ingest.frus import parse_volume
from declassified.ingest.frus.write import import_volume
from declassified.search import search

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db


def import_frus(*paths) -> str:
    out = StringIO()
    call_command("import_frus", *[str(p) for p in paths], foreground=True, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "documents": dict(Document.objects.values_list("source_id", "id")),
        "collections": dict(Collection.objects.values_list("source_id", "id")),
        "people": Person.objects.count(),
        "texts": Text.objects.count(),
    }


def test_reimporting_updates_in_place_with_the_same_ids_and_no_duplicates():
    import_frus(FIXTURES / "structure.xml", FIXTURES / "evolume.xml")
    before = snapshot()
    revisions = Revision.objects.count()
    SearchOutbox.objects.all().delete()
    output = import_frus(FIXTURES / "structure.xml", FIXTURES / "evolume.xml")
    assert snapshot() == before
    assert "5 documents (0 created, 0 updated, 5 unchanged)" in output
    assert Revision.objects.count() == revisions  # nothing changed, nothing recorded
    assert not SearchOutbox.objects.exists()


def test_a_changed_volume_updates_its_documents_and_records_what_changed(tmp_path):
    copy = tmp_path / "structure.xml"
    shutil.copy(FIXTURES / "structure.xml", copy)
    import_frus(copy)
    first = Document.objects.get(source_id="frustest-structure/d2")
    copy.write_text(copy.read_text().replace(
        "2. Memorandum of Conversation", "2. Memorandum of a Conversation Revised"))
    output = import_frus(copy)
    assert "(0 created, 1 updated, 2 unchanged)" in output
    again = Document.objects.get(source_id="frustest-structure/d2")
    assert again.pk == first.pk
    assert again.title == "Memorandum of a Conversation Revised"
    assert again.slug == "memorandum-of-a-conversation-revised"
    revision = Revision.objects.of_document(again.pk).first()
    assert revision.action == "import" and revision.via.startswith("frus-import job ")
    assert revision.changes == {
        "title": {"old": first.title, "new": "Memorandum of a Conversation Revised"},
        "slug": {"old": first.slug, "new": "memorandum-of-a-conversation-revised"},
    }
    # the job brings the index up to date through the outbox: the new title is found
    hits = search({"q": "Revised"}, AnonymousUser()).hits
    assert [hit.id for hit in hits] == [again.pk]
    assert not SearchOutbox.objects.exists()


def test_a_renamed_chapter_is_recorded_and_its_documents_are_searched_by_the_new_title(tmp_path):
    copy = tmp_path / "structure.xml"
    shutil.copy(FIXTURES / "structure.xml", copy)
    import_frus(copy)
    chapter = Collection.objects.get(title="Policy Review, January–June 1961")
    copy.write_text(copy.read_text().replace("Policy Review, January–June",
                                             "Zanzibarian Review, January–June"))
    output = import_frus(copy)

    assert "(0 created, 0 updated, 3 unchanged)" in output
    revision = Revision.objects.of_object(Revision.COLLECTION, chapter.pk).first()
    assert revision.changes["title"] == {"old": "Policy Review, January–June 1961",
                                         "new": "Zanzibarian Review, January–June 1961"}
    hits = search({"q": "Zanzibarian"}, AnonymousUser()).hits
    assert sorted(hit.id for hit in hits) == sorted(chapter.documents.values_list("id", flat=True))
    assert hits


def test_reimporting_keeps_what_editors_own_and_restores_what_the_importer_owns(alice):
    import_frus(FIXTURES / "structure.xml")
    document = Document.objects.get(source_id="frustest-structure/d1")
    translation = Text.objects.create(document=document, kind=Text.TRANSLATION,
                                      language_id="en", body="<p>Editor's text.</p>", position=1)
    document.title = "An editor's title"
    document.summary, document.summary_generated = "An editor's summary.", False
    document.rights = "Rights as an editor wrote them."
    actions.do_save_document(document, acting_user=alice)
    document.subjects.add(Subject.objects.create(name="Sino-Soviet split"))
    actions.do_withdraw_document(document, acting_user=alice)

    import_frus(FIXTURES / "structure.xml")
    document.refresh_from_db()
    assert document.title == ("Telegram From the Department of State to the Mission to the "
                              "United Nations")  # the importer's field, restored
    assert document.summary == "An editor's summary."
    assert document.rights == "Rights as an editor wrote them."
    assert document.status == Document.WITHDRAWN
    assert [s.name for s in document.subjects.all()] == ["Sino-Soviet split"]
    assert Text.objects.filter(pk=translation.pk).exists()
    assert document.texts.filter(kind=Text.TRANSCRIPT).count() == 1


def test_a_person_listed_in_two_volumes_is_one_person_with_documents_from_both(client):
    import_frus(FIXTURES / "structure.xml", FIXTURES / "persons-second-volume.xml")
    rusk = Person.objects.get(source_key="frus:rusk|dean")
    assert Person.objects.filter(source_key="frus:rusk|dean").count() == 1
    assert rusk.name == "Rusk, Dean"  # the first volume's form; the other is a variant
    assert "Rusk, Dean G." in rusk.variants
    sources = set(rusk.mentioned_in.values_list("source_id", flat=True))
    assert {"frustest-structure/d1", "frustest-persons2/d1"} <= sources
    assert list(rusk.authored_documents.values_list("source_id", flat=True)) == [
        "frustest-persons2/d1"]
    response = client.get(f"/person/{rusk.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Telegram From the Department of State" in page
    assert "Memorandum From Secretary of State Rusk to President Johnson" in page


def test_importing_90_documents_takes_about_as_many_queries_as_3():
    """Writes are batched: the query count does not grow with the number of documents."""
    counts = []
    # the first import also creates the people, places and archives the others reuse
    for copies, volume_id in ((1, "frustest-first"), (1, "frustest-small"), (30, "frustest-large")):
        volume = parse_volume(FIXTURES / "structure.xml")
        volume.volume_id = volume_id
        volume.chapters = [replace(c, source_id=c.source_id.replace("frustest-structure", volume_id),
                                   parent=c.parent and c.parent.replace("frustest-structure", volume_id))
                           for c in volume.chapters]
        volume.documents = [
            replace(d, source_id=f"{volume_id}/d{i}-{n}", chapters=[
                c.replace("frustest-structure", volume_id) for c in d.chapters])
            for n in range(copies) for i, d in enumerate(volume.documents)
        ]
        with CaptureQueriesContext(connection) as queries:
            result = import_volume(volume, acting_user=None, via="test")
        assert result.created == 3 * copies
        counts.append(len(queries))
    # 30 times the documents: at most a few more batches (SQLite caps parameters a query)
    assert counts[1] <= counts[2] <= counts[1] + 3
    assert counts[0] <= 50
