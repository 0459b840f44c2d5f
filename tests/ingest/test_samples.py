"""`declassified load-samples`: the seed's collection, loaded idempotently."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from declassified.archive.models import Collection, Document, Revision, SearchOutbox
from tests.factories import make_document

pytestmark = pytest.mark.django_db

SPLIT = "Sino-Soviet Split, 1960-1984"
RELATED = [
    "Making of the Sino-Soviet Alliance, 1945-1950",
    "Sino-Soviet Alliance, 1950-1959",
    "Sino-Soviet Border Conflict, 1969",
    "Sino-Soviet Rapprochement, 1985-1989",
]


def load_samples() -> str:
    out = io.StringIO()
    call_command("load_samples", stdout=out)
    return out.getvalue().strip()


def test_it_loads_the_seed_collection_with_its_twenty_documents():
    assert load_samples() == (
        "collections: 5 created, 0 already loaded; documents: 20 created, 0 already loaded; "
        "facsimiles: 4 attached (7 pages), 0 already loaded"
    )

    split = Collection.objects.get(title=SPLIT)
    assert (split.date_span, split.display_date_span, split.featured) == (
        "1960/1984", "1960–1984", True
    )
    assert split.image_caption == "Mao and Khrushchev, 1958" and not split.image
    assert sorted(c.title for c in split.related.all()) == RELATED
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

    assert load_samples() == (
        "collections: 0 created, 5 already loaded; documents: 0 created, 20 already loaded; "
        "facsimiles: 0 attached (0 pages), 4 already loaded"
    )
    assert Collection.objects.count() == 5
    assert Collection.objects.get(title=SPLIT).updated_at == split.updated_at
    assert Document.objects.count() == 20
    assert Collection.objects.get(title=SPLIT).documents.count() == 20
    assert (Revision.objects.count(), SearchOutbox.objects.count()) == (revisions, outbox)


def test_samples_never_overwrite_a_document_holding_their_ids():
    first = make_document(title="Imported before the samples", id=3)

    load_samples()
    load_samples()

    assert Document.objects.get(pk=3).title == first.title == "Imported before the samples"
    assert Document.objects.count() == 21
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
    withdrawn, edited, reidentified, deleted = (Document.objects.get(pk=pk) for pk in (1, 2, 3, 4))
    do_withdraw_document(withdrawn, acting_user=alice)
    edited.summary = "An editor's better summary."
    reidentified.source_id = None
    for document in (edited, reidentified):
        do_save_document(document, acting_user=alice)
    do_delete_document(deleted, acting_user=alice)
    split = Collection.objects.get(title=SPLIT)
    split.title, split.featured = "The Split", False
    do_save_collection(split, acting_user=alice)
    do_delete_collection(Collection.objects.get(title=RELATED[0]), acting_user=alice)
    revisions = Revision.objects.count()

    # Of the four facsimiles, 3's document lost its source_id: three are on the ledger.
    assert load_samples() == (
        "collections: 0 created, 5 already loaded; documents: 0 created, 20 already loaded; "
        "facsimiles: 0 attached (0 pages), 3 already loaded"
    )
    assert Document.objects.get(pk=1).status == Document.WITHDRAWN
    assert Document.objects.get(pk=2).summary == "An editor's better summary."
    assert Document.objects.get(pk=3).source_id is None
    assert not Document.objects.filter(pk=4).exists()
    assert Document.objects.count() == 19  # no duplicate of 3, 4 not re-created
    assert not Collection.objects.filter(title__in=[SPLIT, RELATED[0]]).exists()
    assert Collection.objects.get(title="The Split").featured is False
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

    assert run("setup").endswith(  # make run's
        "documents: 20 created, 0 already loaded; facsimiles: 4 attached (7 pages), "
        "0 already loaded")
    assert run("load-samples").endswith(
        "documents: 0 created, 20 already loaded; facsimiles: 0 attached (0 pages), "
        "4 already loaded")
