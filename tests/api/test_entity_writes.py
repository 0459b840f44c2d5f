"""PATCH /api/v1/people/<id> and /api/v1/places/<id>: names and their variants, changed with a
token through the back office's form and actions."""

from __future__ import annotations

import pytest

from declassified.api import tokens
from declassified.archive.models import Person, Place, Revision, SearchOutbox
from tests.api.conftest import ApiClient
from tests.factories import make_document, make_person, make_place

pytestmark = pytest.mark.django_db


def test_an_editor_replaces_a_persons_variants_with_a_revision_and_a_reindex(alice_api, alice):
    zhou = make_person("Zhou Enlai")
    document = make_document(people=[zhou])
    SearchOutbox.objects.all().delete()

    response = alice_api.patch(f"/api/v1/people/{zhou.pk}", {"variants": ["Chou En-lai", "周恩来"]})

    assert response.status_code == 200
    assert response.json()["variants"] == ["Chou En-lai", "周恩来"]
    assert Person.objects.get(pk=zhou.pk).variants == ["Chou En-lai", "周恩来"]
    revision = Revision.objects.of_object(Revision.PERSON, zhou.pk).latest("id")
    assert (revision.acting_user, revision.via, list(revision.changes)) == (alice, "api", ["variants"])
    assert list(SearchOutbox.objects.values_list("document_id", flat=True)) == [document.pk]


def test_a_renamed_place_gets_the_spellings_of_its_new_name(bob_api):
    place = make_place("Nanjing")
    response = bob_api.patch(f"/api/v1/places/{place.pk}", {"name": "Peking"})
    assert response.status_code == 200
    assert "Beijing" in response.json()["variants"]
    assert "北京" in Place.objects.get(pk=place.pk).variants


def test_bad_bodies_are_clear_400s_and_change_nothing(alice_api):
    zhou = make_person("Zhou Enlai")
    before = Person.objects.get(pk=zhou.pk).variants
    for body, word in [({"variants": "Chou En-lai"}, "list of strings"),
                       ({"variants": [1]}, "list of strings"),
                       ({"variants": ["x" * 301]}, "at most"),
                       ({"slug": "x"}, "Unknown field"),
                       ({"name": ""}, "not valid"),
                       ({"variants": ["Chou\x00En-lai"]}, "not valid"),
                       ({"name": "Zhou\x08Enlai"}, "not valid"),
                       ({"description": "Premier\x7f"}, "not valid")]:
        response = alice_api.patch(f"/api/v1/people/{zhou.pk}", body)
        assert response.status_code == 400, body
        assert word in response.json()["error"], (body, response.json())
        if "\x00" in str(body) or "\x08" in str(body) or "\x7f" in str(body):
            assert "control character" in str(response.json()["fields"]), response.json()
    assert alice_api.patch(f"/api/v1/people/{zhou.pk}", raw="[1]").status_code == 400
    assert Person.objects.get(pk=zhou.pk).variants == before
    assert Person.objects.get(pk=zhou.pk).name == "Zhou Enlai"


def test_writing_needs_a_token_with_the_right(charlie):
    zhou = make_person("Zhou Enlai")
    assert ApiClient().patch(f"/api/v1/people/{zhou.pk}", {"variants": []}).status_code == 401
    stranger = ApiClient(tokens.do_create_token(charlie, "charlie's script")[1])
    assert stranger.patch(f"/api/v1/people/{zhou.pk}", {"variants": []}).status_code == 403
    assert Person.objects.get(pk=zhou.pk).variants


def test_an_unknown_record_is_a_404(alice_api):
    assert alice_api.patch("/api/v1/people/999999", {"variants": []}).status_code == 404
    assert alice_api.patch("/api/v1/places/0", {"variants": []}).status_code == 404
