"""Collections and tag entities saved through the back office reach the search outbox."""

from __future__ import annotations

import pytest

from declassified.archive.models import Collection, Person, Revision, SearchOutbox
from tests.factories import make_collection, make_document, make_person

pytestmark = pytest.mark.django_db


def test_renaming_a_person_reindexes_the_documents_naming_them(alice_client):
    person = make_person("Chou En-lai")
    tagged = make_document(people=[person])
    make_document()  # untagged: no reason to reindex it
    SearchOutbox.objects.all().delete()
    response = alice_client.post(f"/admin/archive/person/{person.pk}/change/", {
        "name": "Zhou Enlai", "kind": "person", "variants": "Chou En-lai\n周恩来\n",
        "life_dates": "1898/1976", "description": "", "wikidata_id": "Q16977",
        "authority_ids": "{}", "slug": person.slug, "source_key": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.name == "Zhou Enlai"
    assert person.variants == ["Chou En-lai", "周恩来", "周恩來"]  # + generated from the new name
    assert list(SearchOutbox.objects.values_list("document_id", flat=True)) == [tagged.pk]


def test_people_are_found_by_a_variant_in_another_script(alice_client):
    make_person("Zhou Enlai", variants=["周恩来"])
    make_person("Mao Zedong")
    response = alice_client.get("/admin/archive/person/", {"q": "周恩来"})
    assert [p.name for p in response.context["cl"].result_list] == ["Zhou Enlai"]


def test_a_collection_with_a_wrong_date_span_is_refused_with_a_message(alice_client):
    response = alice_client.post("/admin/archive/collection/add/", {
        "title": "Sino-Soviet Split", "date_span": "1960 to 1984", "position": "0",
    })
    assert response.status_code == 200
    assert "is not an EDTF date" in response.content.decode()
    assert not Collection.objects.exists()


def test_a_new_collection_is_saved_and_listed_with_its_document_count(alice_client):
    response = alice_client.post("/admin/archive/collection/add/", {
        "title": "Sino-Soviet Split, 1960-1984", "date_span": "1960/1984", "position": "0",
        "short_description": "Documents on the rift.", "description": "<p>Long</p>",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    collection = Collection.objects.get()
    make_document(collections=[collection])
    listing = alice_client.get("/admin/archive/collection/")
    assert [c.document_total for c in listing.context["cl"].result_list] == [1]


def test_deleting_a_collection_keeps_and_reindexes_its_documents(alice_client):
    collection = make_collection()
    document = make_document(collections=[collection])
    SearchOutbox.objects.all().delete()
    response = alice_client.post(
        f"/admin/archive/collection/{collection.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Collection.objects.exists()
    assert list(SearchOutbox.objects.values_list("document_id", flat=True)) == [document.pk]


def test_a_language_in_use_cannot_be_deleted(alice_client):
    document = make_document(text="<p>Text</p>")  # in English
    response = alice_client.post("/admin/archive/language/en/delete/", {"post": "yes"})
    assert response.status_code == 200  # the admin explains what protects it
    assert "protected" in response.content.decode().lower()
    assert document.texts.get().language_id == "en"


def test_contributors_cannot_delete_people(client, bob):
    person = make_person()
    client.force_login(bob)
    response = client.post(f"/admin/archive/person/{person.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_collection_is_marked_as_a_documentary_edition_with_history(alice_client):
    form = alice_client.get("/admin/archive/collection/add/").content.decode()
    assert "Documentary edition" in form and 'name="edition_editors"' in form

    response = alice_client.post("/admin/archive/collection/add/", {
        "title": "FRUS 1961–1963, Volume XXII", "date_span": "1961/1963", "position": "0",
        "is_edition": "on", "series_title": "Foreign Relations of the United States, 1961–1963",
        "volume_number": "XXII", "volume_title": "Northeast Asia",
        "edition_editors": "Edward C. Keefer\nDavid W. Mabon", "publisher": "GPO",
        "publisher_place": "Washington, DC", "published_year": "1996", "medium": "print",
        "source_url": "https://history.state.gov/historicaldocuments/frus1961-63v22",
    })

    assert response.status_code == 302, response.content.decode()[:2000]
    volume = Collection.objects.get()
    assert volume.is_edition and volume.volume_number == "XXII"
    assert volume.edition_editors.splitlines() == ["Edward C. Keefer", "David W. Mabon"]
    [revision] = Revision.objects.filter(kind=Revision.COLLECTION, object_id=str(volume.pk))
    assert {"is_edition", "series_title", "edition_editors", "published_year"} <= set(
        revision.changes)
