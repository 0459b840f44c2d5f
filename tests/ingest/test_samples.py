"""`declassified load-samples`: the seed's collection and the FRUS samples, loaded
idempotently."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from declassified.archive.models import Collection, Document, Revision, SearchOutbox
from tests.factories import make_document

pytestmark = pytest.mark.django_db

SPLIT = "Sino-Soviet Split, 1960-1984"
FRUS = "Sino-Soviet Split in U.S. Government Records, 1960-1972"
RELATED = [
    "Making of the Sino-Soviet Alliance, 1945-1950",
    "Sino-Soviet Alliance, 1950-1959",
    "Sino-Soviet Border Conflict, 1969",
    "Sino-Soviet Rapprochement, 1985-1989",
]
LOADED = ("collections: 11 created, 0 already loaded; documents: 51 created, 0 already loaded; "
          "facsimiles: 4 attached (7 pages), 0 already loaded")
RELOADED = ("collections: 0 created, 11 already loaded; documents: 0 created, 51 already loaded; "
            "facsimiles: 0 attached (0 pages), 4 already loaded")


def load_samples() -> str:
    out = io.StringIO()
    call_command("load_samples", stdout=out)
    return out.getvalue().strip()


def test_it_loads_the_seed_collection_with_its_twenty_documents():
    assert load_samples() == LOADED

    split = Collection.objects.get(title=SPLIT)
    assert (split.date_span, split.display_date_span, split.featured) == (
        "1960/1984", "1960–1984", True
    )
    assert split.image_caption == "Mao and Khrushchev, 1958" and not split.image
    assert sorted(c.title for c in split.related.all()) == sorted([FRUS, *RELATED])
    assert split.documents.filter(status=Document.PUBLISHED).count() == 20
    assert list(split.documents.order_by("pk").values_list("pk", flat=True)) == list(range(1, 21))


@pytest.mark.parametrize(
    ("pk", "display_date", "title"),
    [
        (1, "December 29, 1964", "Cable from the Chinese Embassy in the Soviet Union, 'Attitude "
         "of the New Soviet Revisionist Leadership to the Situation in Vietnam''"),
        (3, "February 6, 1965", "Record of the First Contact between Premier Zhou and Vice "
         "Premier Chen Yi and Kosygin"),
        (7, "February 27, 1965", "Oral Statement of the PRC Government, Transmitted by PRC Vice "
         "Foreign Minister Liu Xiao to the Chargé d’Affaires of the USSR in the PRC, Cde. F. V. "
         "Mochulski"),
        (20, "March 8, 1965", "Cable from the Chinese Embassy in the Soviet Union to the Ministry "
         "of Foreign Affairs, ‘The Situation of the Responses from Vietnamese Students’"),
    ],
)
def test_sample_dates_and_titles_are_the_seeds(pk, display_date, title):
    load_samples()

    document = Document.objects.get(pk=pk)
    assert (document.display_date, document.title) == (display_date, title)
    assert document.summary and document.document_type


def test_sample_tags_link_people_places_and_subjects():
    load_samples()

    minutes = Document.objects.get(pk=5)
    assert minutes.document_type == "Minutes"
    assert {"Mao Zedong", "Aleksei Kosygin"} <= {p.name for p in minutes.people.all()}
    assert "Beijing" in {p.name for p in minutes.places.all()}
    protests = Document.objects.filter(subjects__name="Student demonstrations")
    assert protests.count() >= 10


def test_the_description_links_the_related_collections():
    load_samples()

    description = Collection.objects.get(title=SPLIT).description
    for title in RELATED:
        related = Collection.objects.get(title=title)
        assert f'<a href="/collection/{related.pk}/" rel="noopener">{title}</a>' in description


def test_loading_twice_changes_nothing():
    load_samples()
    revisions, outbox = Revision.objects.count(), SearchOutbox.objects.count()
    split = Collection.objects.get(title=SPLIT)

    assert load_samples() == RELOADED
    assert Collection.objects.count() == 11
    assert Collection.objects.get(title=SPLIT).updated_at == split.updated_at
    assert Document.objects.count() == 51
    assert Collection.objects.get(title=SPLIT).documents.count() == 20
    assert Collection.objects.get(title=FRUS).documents.count() == 31
    assert (Revision.objects.count(), SearchOutbox.objects.count()) == (revisions, outbox)


def test_samples_never_overwrite_a_document_holding_their_ids():
    first = make_document(title="Imported before the samples", id=3)

    load_samples()
    load_samples()

    assert Document.objects.get(pk=3).title == first.title == "Imported before the samples"
    assert Document.objects.count() == 52
    assert Collection.objects.get(title=SPLIT).documents.count() == 20


def test_editors_work_on_samples_survives_a_restart(alice):
    """`make run` loads the samples at every start: a withdrawal, an edited summary, a
    cleared source_id, a retitled or deleted sample stay as the editors left them."""
    from declassified.archive.actions import (
        do_delete_collection,
        do_delete_document,
        do_save_collection,
        do_save_document,
        do_withdraw_document,
    )

    load_samples()
    withdrawn, edited, reidentified, deleted, frus_withdrawn, frus_edited, frus_deleted = (
        Document.objects.get(pk=pk) for pk in (1, 2, 3, 4, 101, 102, 131))
    for document in (withdrawn, frus_withdrawn):
        do_withdraw_document(document, acting_user=alice)
    edited.summary = frus_edited.call_number = "An editor's better words."
    reidentified.source_id = None
    for document in (edited, reidentified, frus_edited):
        do_save_document(document, acting_user=alice)
    for document in (deleted, frus_deleted):
        do_delete_document(document, acting_user=alice)
    split = Collection.objects.get(title=SPLIT)
    split.title, split.featured = "The Split", False
    do_save_collection(split, acting_user=alice)
    volume = Collection.objects.get(source_id="frus1969-76ve13")
    volume.edition_editors = "An Editor"
    do_save_collection(volume, acting_user=alice)
    do_delete_collection(Collection.objects.get(title=RELATED[0]), acting_user=alice)
    do_delete_collection(Collection.objects.get(title=FRUS), acting_user=alice)
    revisions = Revision.objects.count()

    # Of the four facsimiles, 3's document lost its source_id: three are on the ledger.
    assert load_samples() == (
        "collections: 0 created, 11 already loaded; documents: 0 created, 51 already loaded; "
        "facsimiles: 0 attached (0 pages), 3 already loaded"
    )
    assert Document.objects.get(pk=1).status == Document.WITHDRAWN
    assert Document.objects.get(pk=101).status == Document.WITHDRAWN
    assert Document.objects.get(pk=2).summary == "An editor's better words."
    assert Document.objects.get(pk=102).call_number == "An editor's better words."
    assert Document.objects.get(pk=3).source_id is None
    assert not Document.objects.filter(pk__in=[4, 131]).exists()
    assert Document.objects.count() == 49  # no duplicate of 3, 4 and 131 not re-created
    assert not Collection.objects.filter(title__in=[SPLIT, RELATED[0], FRUS]).exists()
    assert Collection.objects.get(title="The Split").featured is False
    assert Collection.objects.get(source_id="frus1969-76ve13").edition_editors == "An Editor"
    assert Revision.objects.count() == revisions


def test_it_loads_the_samples_through_the_command_line_of_an_empty_database(tmp_path):
    """The CLI as `make run` runs it (`declassified setup`: migrate, groups, samples) on a
    fresh database, then again: everything, then nothing."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DECLASSIFIED_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/fresh.sqlite3", "DECLASSIFIED_INDEXER_THREAD": "0"}
    command = str(Path(sys.executable).with_name("declassified"))

    def run(*args: str) -> str:
        result = subprocess.run([command, *args], env=env, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert run("setup").endswith(LOADED)  # make run's
    assert run("load-samples").endswith(RELOADED)


# --- The FRUS samples: real documents with their full texts --------------------------------


def test_frus_samples_carry_full_texts_footnotes_and_where_they_come_from():
    load_samples()

    memcon = Document.objects.get(source_id="frus1969-76ve13/d166")
    assert memcon.pk == 131 and memcon.status == Document.PUBLISHED
    assert (memcon.title, memcon.date, memcon.number, memcon.document_type) == (
        "Memorandum of Conversation, New York, November 13, 1972, 7:30-10 p.m.", "1972-11-13",
        "166", "Memorandum of Conversation")
    assert memcon.source_url == (
        "https://history.state.gov/historicaldocuments/frus1969-76ve13/d166")
    assert memcon.repository.name == "National Archives and Records Administration"
    assert memcon.call_number.startswith("Nixon Presidential Materials, NSC Files, Box 850")
    assert memcon.source_citation.startswith("National Archives, Nixon Presidential Materials")
    assert memcon.classification == "Top Secret; Sensitive; Eyes Only"
    assert memcon.rights.startswith("Public domain")
    assert memcon.participants.splitlines()[0] == (
        "Ch'iao Kuan-hua, PRC Vice Minister of Foreign Affairs")
    assert "Henry A. Kissinger" in {person.name for person in memcon.people.all()}
    [text] = memcon.texts.all()
    assert (text.kind, text.language_id) == ("transcript", "en")
    assert len(text.body) > 30_000 and "border" in text.body
    [annotated] = Document.objects.get(source_id="frus1958-60v19/d336").texts.all()
    assert '<ol class="footnotes">' in annotated.footnotes
    assert 'href="#d336fn1"' in annotated.body and 'id="d336fn1"' in annotated.footnotes
    assert "frus-person/" not in text.body + annotated.body + annotated.footnotes  # names


def test_frus_samples_form_a_collection_related_to_the_seeds():
    load_samples()

    frus = Collection.objects.get(title=FRUS)
    assert (frus.date_span, frus.featured, frus.short_description != "") == (
        "1960/1972", True, True)  # on the home page, beside the seed's
    assert frus.documents.count() == 31
    assert frus.documents.filter(status=Document.PUBLISHED).count() == 31
    assert SPLIT in {c.title for c in frus.related.all()}
    assert FRUS in {c.title for c in Collection.objects.get(title=SPLIT).related.all()}
    split = Collection.objects.get(title=SPLIT)
    assert f'href="/collection/{frus.pk}/"' in split.description
    border = Collection.objects.get(title="Sino-Soviet Border Conflict, 1969")
    assert border.documents.count() == 8


def test_each_frus_sample_is_in_its_volume_a_documentary_edition():
    load_samples()

    volume = Collection.objects.get(source_id="frus1961-63v22")
    assert volume.is_edition
    assert (volume.title, volume.series_title, volume.volume_number, volume.volume_title) == (
        "Foreign Relations of the United States, 1961–1963, Volume XXII, Northeast Asia",
        "Foreign Relations of the United States, 1961–1963", "XXII", "Northeast Asia")
    assert volume.edition_editors.splitlines() == [
        "Edward C. Keefer", "David W. Mabon", "Harriet Dashiell Schwar"]
    assert (volume.publisher, volume.publisher_place, volume.published_year, volume.medium) == (
        "Government Printing Office", "Washington, DC", "1996", "print")
    assert volume.source_url == "https://history.state.gov/historicaldocuments/frus1961-63v22"
    assert volume.documents.count() == 10
    editions = Collection.objects.filter(is_edition=True)
    assert editions.count() == 5
    assert Document.objects.filter(source_id__startswith="frus", collections__in=editions
                                   ).distinct().count() == 31
    assert Collection.objects.get(source_id="frus1969-76ve13").medium == "online"


def test_a_new_sample_collection_is_linked_to_the_seed_loaded_before(tmp_path):
    """An archive that loaded the seed before the FRUS samples existed gets them at its next
    start, linked from the seed's collection; the rest of the seed stays as it was."""
    import json

    from declassified.ingest.samples import SAMPLES_DIR

    earlier = tmp_path / "earlier"
    earlier.mkdir()
    entries = json.loads((SAMPLES_DIR / "collections.json").read_text(encoding="utf-8"))
    seed = [entry for entry in entries if entry["title"] in [SPLIT, *RELATED]]
    for entry in seed:
        entry["related"] = [title for title in entry.get("related", []) if title != FRUS]
        entry["description"] = entry["description"].replace(f'href="collection:{FRUS}"', "")
    (earlier / "collections.json").write_text(json.dumps(seed), encoding="utf-8")
    (earlier / "sino-soviet-split.jsonl").write_bytes(
        (SAMPLES_DIR / "sino-soviet-split.jsonl").read_bytes())
    call_command("load_samples", "--dir", str(earlier), stdout=io.StringIO())
    split = Collection.objects.get(title=SPLIT)
    split_revisions = Revision.objects.filter(object_id=str(split.pk), kind=Revision.COLLECTION)
    before = split_revisions.count()

    assert load_samples().startswith(
        "collections: 6 created, 5 already loaded; documents: 31 created, 20 already loaded")
    related = {c.title for c in Collection.objects.get(title=SPLIT).related.all()}
    assert related == {FRUS, *RELATED}
    assert Collection.objects.get(title=SPLIT).description == split.description
    assert split_revisions.count() == before + 1  # the new link, recorded on its side too


def test_the_sample_files_stay_small():
    from declassified.ingest.samples import SAMPLES_DIR

    total = sum(path.stat().st_size for path in SAMPLES_DIR.rglob("*") if path.is_file())
    assert total <= 2 * 1024 * 1024


def test_a_broken_edition_entry_is_a_message_not_a_traceback(tmp_path):
    import json

    from django.core.management.base import CommandError

    (tmp_path / "collections.json").write_text(json.dumps(
        [{"title": "A volume", "is_edition": "yes", "edition_editors": "One Name"}]))

    with pytest.raises(CommandError, match="wrong type of value in edition_editors, is_edition"):
        call_command("load_samples", "--dir", str(tmp_path), stdout=io.StringIO())
    assert not Collection.objects.exists()
