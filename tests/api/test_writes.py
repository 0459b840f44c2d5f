"""Writes: create, change, publish and withdraw documents with a token, as the back office."""

from __future__ import annotations

import pytest
from django.test import Client

from declassified.archive.models import Document, Revision, SearchOutbox
from tests.api.conftest import ApiClient
from tests.factories import (
    make_collection,
    make_document,
    make_language,
    make_person,
    make_place,
    make_repository,
    make_subject,
)


def test_a_document_created_and_published_becomes_public(alice_api, client):
    zhou, moscow = make_person("Zhou Enlai"), make_place("Moscow")
    split = make_collection("Sino-Soviet Split")
    make_language("ru", "Russian")

    created = alice_api.post("/api/v1/documents", {
        "title": "Conversation with Kosygin", "date": "1965-02~", "summary": "Talks.",
        "authors": [zhou.pk], "places": [moscow.pk], "languages": ["ru"],
        "collections": [split.pk], "document_type": "Memorandum of Conversation",
    })
    pk = created.json()["id"]
    hidden = client.get(f"/api/v1/documents/{pk}")
    published = alice_api.post(f"/api/v1/documents/{pk}/publish")
    public = client.get(f"/api/v1/documents/{pk}").json()

    assert created.status_code == 201
    assert created["Location"] == f"http://testserver/api/v1/documents/{pk}"
    assert created.json()["status"] == "draft" and created.json()["display_date"] == "circa February 1965"
    assert hidden.status_code == 404
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert public["title"] == "Conversation with Kosygin" and public["published_at"]
    assert [a["name"] for a in public["authors"]] == ["Zhou Enlai"]
    assert [c["title"] for c in public["collections"]] == ["Sino-Soviet Split"]
    assert public["languages"] == [{"code": "ru", "name": "Russian"}]
    assert pk in [d["id"] for d in client.get(f"/api/v1/collections/{split.pk}").json()["documents"]]


def test_writes_go_through_the_actions_with_history_and_reindexing(alice_api, alice):
    pk = alice_api.post("/api/v1/documents", {"title": "Cable", "date": "1965"}).json()["id"]
    SearchOutbox.objects.all().delete()

    alice_api.patch(f"/api/v1/documents/{pk}", {"summary": "New summary.",
                                                "subjects": [make_subject("Border").pk]})
    alice_api.post(f"/api/v1/documents/{pk}/publish")

    revisions = list(Revision.objects.of_document(pk).order_by("id"))
    assert [(r.action, sorted(r.changes)) for r in revisions] == [
        ("create", ["date", "slug", "status", "title"]), ("edit", ["summary"]),
        ("edit", ["subjects"]), ("publish", ["published_at", "status"]),
    ]
    assert revisions[1].changes["summary"] == {"old": "", "new": "New summary."}
    assert revisions[2].changes["subjects"]["new"][0]["name"] == "Border"
    assert all((r.acting_user, r.via, r.who) == (alice, "api", "alice via api") for r in revisions)
    assert SearchOutbox.objects.filter(document_id=pk).exists()


def test_a_patch_changes_only_the_named_fields_and_replaces_tag_lists(alice_api):
    zhou, mao = make_person("Zhou Enlai"), make_person("Mao Zedong")
    document = make_document(title="Cable", summary="Kept.", people=[zhou],
                             repository=make_repository())

    response = alice_api.patch(f"/api/v1/documents/{document.pk}", {
        "title": "Cable to Moscow", "people": [mao.pk], "repository": None,
    })

    data = response.json()
    assert response.status_code == 200
    assert data["title"] == "Cable to Moscow" and data["summary"] == "Kept."
    assert [p["name"] for p in data["people"]] == ["Mao Zedong"] and data["repository"] is None
    assert data["date"] == document.date and data["status"] == "published"


def test_a_contributor_writes_drafts_but_cannot_publish_or_touch_published_ones(bob_api):
    published = make_document()

    created = bob_api.post("/api/v1/documents", {"title": "Bob's draft"})
    pk = created.json()["id"]
    edited = bob_api.patch(f"/api/v1/documents/{pk}", {"summary": "Better."})
    publish = bob_api.post(f"/api/v1/documents/{pk}/publish")
    withdraw = bob_api.post(f"/api/v1/documents/{published.pk}/withdraw")
    touch = bob_api.patch(f"/api/v1/documents/{published.pk}", {"title": "Changed"})

    assert created.status_code == 201 and created.json()["status"] == "draft"
    assert edited.status_code == 200
    assert publish.status_code == 403 and withdraw.status_code == 403
    assert touch.status_code == 403 and "drafts only" in touch.json()["error"]
    assert Document.objects.get(pk=pk).status == Document.DRAFT
    assert Document.objects.get(pk=published.pk).title == published.title


def test_an_editor_withdraws_and_the_public_loses_the_document(alice_api, client):
    document = make_document()

    response = alice_api.post(f"/api/v1/documents/{document.pk}/withdraw")

    assert response.json()["status"] == "withdrawn"
    assert client.get(f"/api/v1/documents/{document.pk}").status_code == 404


def test_an_account_without_rights_gets_403s(charlie_api):
    document = make_document(status=Document.DRAFT)

    for response in (
        charlie_api.post("/api/v1/documents", {"title": "x"}),
        charlie_api.patch(f"/api/v1/documents/{document.pk}", {"title": "x"}),
        charlie_api.post(f"/api/v1/documents/{document.pk}/publish"),
    ):
        assert response.status_code == 403 and response.json()["error"]
    assert charlie_api.get(f"/api/v1/documents/{document.pk}").status_code == 404


def test_writes_without_a_token_are_401s_even_with_a_staff_session(alice, db):
    document = make_document(status=Document.DRAFT)
    session = Client(enforce_csrf_checks=True)
    session.force_login(alice)

    for method, path in (("POST", "/api/v1/documents"),
                         ("PATCH", f"/api/v1/documents/{document.pk}"),
                         ("POST", f"/api/v1/documents/{document.pk}/publish")):
        response = session.generic(method, path, '{"title": "x"}', content_type="application/json")
        assert response.status_code == 401, path
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert Document.objects.get(pk=document.pk).status == Document.DRAFT


@pytest.mark.parametrize("body, fields", [
    ({"title": "x", "date": "1965-13-45"}, ["date"]),
    ({"title": "x", "date": "sometime"}, ["date"]),
    ({"title": ""}, ["title"]),
    ({"summary": "no title"}, ["title"]),
    ({"title": "x", "colour": "red"}, ["colour"]),
    ({"title": "x", "status": "published"}, ["status"]),
    ({"title": "x", "id": 5}, ["id"]),
    ({"title": 5}, ["title"]),
    ({"title": "x", "summary_generated": "yes"}, ["summary_generated"]),
    ({"title": "x", "people": [424242]}, ["people"]),
    ({"title": "x", "people": ["1"]}, ["people"]),
    ({"title": "x", "people": [0]}, ["people"]),
    ({"title": "x", "people": 3}, ["people"]),
    ({"title": "x", "repository": 424242}, ["repository"]),
    ({"title": "x", "repository": 99999999999}, ["repository"]),
    ({"title": "x", "collections": [424242]}, ["collections"]),
    ({"title": "x", "languages": ["xx-nope"]}, ["languages"]),
    ({"title": "x", "source_url": "not a url"}, ["source_url"]),
    ({"title": "x" * 1001}, ["title"]),
    ({"title": "x\x00y"}, ["title"]),
    ({"title": "\ud800"}, ["title"]),
    ({"title": "x", "slug": "not a slug!"}, ["slug"]),
    ({"title": "x", "date": "{" + ",".join(["1965-01-01"] * 400) + "}"}, ["date"]),
    ({"title": "x", "date": "٣٣٣٣"}, ["date"]),
])
def test_invalid_fields_are_400s_naming_each_field(alice_api, body, fields):
    before = Document.objects.count()

    response = alice_api.post("/api/v1/documents", body)

    assert response.status_code == 400, response.content
    assert sorted(response.json()["fields"]) == fields
    assert response.json()["error"]
    assert Document.objects.count() == before


def test_a_duplicate_source_id_is_refused_as_in_the_back_office(alice_api):
    make_document(source_id="frus1964-68v30/d1")

    response = alice_api.post("/api/v1/documents", {"title": "x", "source_id": "frus1964-68v30/d1"})

    assert response.status_code == 400 and list(response.json()["fields"]) == ["source_id"]


@pytest.mark.parametrize("raw", ["", "{", "[1, 2]", '"title"', "null", b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_a_400(alice_api, raw):
    response = alice_api.post("/api/v1/documents", raw=raw)

    assert response.status_code == 400 and "JSON" in response.json()["error"]


def test_a_patch_that_fails_validation_changes_nothing(alice_api):
    document = make_document(title="Cable", people=[make_person()])

    response = alice_api.patch(f"/api/v1/documents/{document.pk}",
                               {"title": "New", "people": [424242]})

    assert response.status_code == 400 and list(response.json()["fields"]) == ["people"]
    document.refresh_from_db()
    assert document.title == "Cable" and document.people.count() == 1


@pytest.mark.parametrize("method, path", [
    ("PATCH", "/api/v1/documents/424242"), ("POST", "/api/v1/documents/424242/publish"),
    ("POST", "/api/v1/documents/424242/withdraw"), ("PATCH", "/api/v1/documents/0"),
])
def test_writes_to_unknown_documents_are_404s(alice_api, method, path):
    response = alice_api.send(method, path, {"title": "x"})

    assert response.status_code == 404 and response.json()["error"]


@pytest.mark.parametrize("method, path, allowed", [
    ("DELETE", "/api/v1/documents/1", "GET, HEAD, PATCH"),
    ("PUT", "/api/v1/documents", "GET, HEAD, POST"),
    ("GET", "/api/v1/documents/1/publish", "POST"),
    ("POST", "/api/v1/people", "GET, HEAD"),
    ("POST", "/api/v1/search", "GET"),
])
def test_other_methods_are_json_405s(alice_api, method, path, allowed):
    response = alice_api.send(method, path)

    assert response.status_code == 405 and response.json()["error"]
    if allowed:
        assert response["Allow"] == allowed


def test_writes_need_no_csrf_token(alice):
    from declassified.api import tokens

    api = ApiClient(tokens.do_create_token(alice, "x")[1])
    api.client.cookies["csrftoken"] = "stale"

    assert api.post("/api/v1/documents", {"title": "No CSRF"}).status_code == 201


@pytest.mark.parametrize("raw", [b"[" * 200_000, b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"])
def test_a_body_nested_thousands_deep_is_a_400(alice_api, raw):
    response = alice_api.post("/api/v1/documents", raw=raw)

    assert response.status_code == 400 and "nested too deeply" in response.json()["error"]


@pytest.fixture(autouse=True)
def _public_reads_may_come_from_the_response_cache(response_cache):
    """As in production: what the public reads may be answered from the response cache,
    so these tests also prove that it never answers with what has changed since."""


def test_number_participants_and_call_number_are_written_and_recorded(alice_api):
    pk = alice_api.post("/api/v1/documents", {
        "title": "Memorandum of Conversation", "number": "72A",
        "participants": "Dean Rusk\nAndrei Gromyko", "call_number": "Central Files, POL 1",
    }).json()["id"]

    response = alice_api.patch(f"/api/v1/documents/{pk}", {"call_number": "Lot 65 D 6"})

    document = Document.objects.get(pk=pk)
    assert response.status_code == 200 and response.json()["call_number"] == "Lot 65 D 6"
    assert (document.number, document.participants.splitlines()) == (
        "72A", ["Dean Rusk", "Andrei Gromyko"])
    first, second = Revision.objects.of_document(pk).order_by("id")
    assert {"number", "participants", "call_number"} <= set(first.changes)
    assert second.changes == {"call_number": {"old": "Central Files, POL 1",
                                              "new": "Lot 65 D 6"}}
