"""`declassified add-name-variants`: people and places stored before names had generated
spellings get them, and a search for another spelling then finds their documents."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from declassified.archive import actions
from declassified.archive.models import Person, Place, Revision, SearchOutbox
from tests.factories import make_document
from tests.search.conftest import find, ids, indexed

pytestmark = pytest.mark.django_db


def add_name_variants() -> str:
    out = StringIO()
    call_command("add_name_variants", stdout=out)
    return out.getvalue()


def stored_as_before(model, name: str, variants: list[str] | None = None):
    """An entity as an older version stored it: no generated spellings (no action ran)."""
    return model.objects.create(name=name, variants=variants or [])


def test_old_people_and_places_get_their_spellings_and_are_found_by_them():
    zhou = stored_as_before(Person, "Zhou Enlai", ["Premier Zhou"])
    beijing = stored_as_before(Place, "Beijing")
    stored_as_before(Place, "Nowhere In Particular")
    document = make_document(title="Talk", people=[zhou], places=[beijing],
                             text="<p>He was received in the capital.</p>")
    indexed()
    assert ids(find("Peking")) == set()
    SearchOutbox.objects.all().delete()

    printed = add_name_variants()

    assert "to 1 people and organizations and 1 places; 1 documents to reindex" in printed
    zhou.refresh_from_db()
    assert zhou.variants[0] == "Premier Zhou"  # the stored ones first, kept
    assert {"Chou En-lai", "周恩来"} <= set(zhou.variants)
    assert {"Peking", "北京"} <= set(Place.objects.get(pk=beijing.pk).variants)
    assert Place.objects.get(name="Nowhere In Particular").variants == []
    revision = Revision.objects.of_object(Revision.PERSON, zhou.pk).latest("id")
    assert (revision.via, list(revision.changes)) == ("add-name-variants", ["variants"])
    assert list(SearchOutbox.objects.values_list("document_id", flat=True)) == [document.pk]
    indexed()
    assert ids(find("Peking")) == {document.pk}
    assert ids(find("Chou En-lai")) == {document.pk}


def test_a_second_run_adds_nothing():
    stored_as_before(Person, "Mao Tse-tung")
    add_name_variants()
    revisions = Revision.objects.count()
    assert "Spellings added: 0 to 0 people" in add_name_variants()
    assert Revision.objects.count() == revisions


def test_variants_an_editor_edited_are_left_as_they_are(alice):
    mao = stored_as_before(Person, "Mao Tse-tung", ["Mao Zedong"])
    mao.variants = ["Chairman Mao"]  # the editor removed "Mao Zedong" on purpose
    actions.do_save_entity(mao, acting_user=alice)

    assert "1 left as an editor edited them" in add_name_variants()
    assert Person.objects.get(pk=mao.pk).variants == ["Chairman Mao"]
