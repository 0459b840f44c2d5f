"""JSON twins of the pages: /api/v1/collections, /collections/<id>, /documents, /documents/<id>."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from declassified.archive import actions
from declassified.archive.models import Document
from tests.factories import (
    make_attachment,
    make_collection,
    make_document,
    make_person,
    make_repository,
    make_subject,
    make_text,
)


@pytest.fixture
def split(db):
    collection = make_collection("Sino-Soviet Split, 1960-1984", date_span="1960/1984",
                                 short_description="Worsening relations.", featured=True)
    collection.related.add(make_collection("Sino-Soviet Alliance, 1950-1959"))
    make_collection("Child", parent=collection)
    return collection


def test_the_collection_list_has_spans_counts_and_urls(
    client, split, django_assert_max_num_queries
):
    make_document(collections=[split])
    make_document(status=Document.DRAFT, collections=[split])
    make_document(status=Document.WITHDRAWN, collections=[split])

    with django_assert_max_num_queries(1):
        response = client.get("/api/v1/collections")

    results = {r["title"]: r for r in response.json()["results"]}
    assert response["Content-Type"] == "application/json"
    assert results["Sino-Soviet Split, 1960-1984"] == {
        "id": split.pk, "title": "Sino-Soviet Split, 1960-1984", "date_span": "1960/1984",
        "display_date_span": "1960–1984", "document_count": 1,
        "url": f"http://testserver{split.get_absolute_url()}",
    }
    assert results["Child"]["document_count"] == 0


def test_a_collection_has_all_fields_and_its_documents_in_page_order(
    client, split, django_assert_max_num_queries
):
    undated = make_document(title="Undated", date="", collections=[split])
    late = make_document(title="Late", date="1965-03-05", collections=[split])
    early = make_document(title="Early", date="1964~", collections=[split])
    make_document(title="Draft", status=Document.DRAFT, collections=[split])
    for n in range(60):
        make_document(title=f"Bulk {n}", date="1966", collections=[split])

    with django_assert_max_num_queries(4):
        data = client.get(f"/api/v1/collections/{split.pk}").json()

    assert [d["title"] for d in data["documents"][:2]] == ["Early", "Late"]
    assert data["documents"][-1]["title"] == "Undated"
    assert len(data["documents"]) == 63
    assert data["documents"][0] == {
        "id": early.pk, "date": "1964~", "display_date": "circa 1964", "title": "Early",
        "summary": early.summary, "number": "", "participants": [],
        "url": f"http://testserver{early.get_absolute_url()}",
    }
    assert data["short_description"] == "Worsening relations." and data["featured"] is True
    assert data["image"] is None and data["parent"] is None
    assert [c["title"] for c in data["related"]] == ["Sino-Soviet Alliance, 1950-1959"]
    assert [c["title"] for c in data["children"]] == ["Child"]
    assert late and undated


def test_a_collection_image_is_an_absolute_media_url(client, split):
    split.image.save("mao.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
    actions.do_save_collection(split, acting_user=None, via="test")

    data = client.get(f"/api/v1/collections/{split.pk}").json()

    assert data["image"] == "http://testserver/media/collections/mao.jpg"
    assert client.get("/media/collections/mao.jpg").status_code == 200


@pytest.fixture
def cable(split):
    document = make_document(
        title="Cable", date="1965-03-05", source_id="frus1964-68v30/d1",
        repository=make_repository(abbreviation="PRC FMA"), authors=[make_person("Zhou Enlai")],
        subjects=[make_subject("Students")], collections=[split],
    )
    make_text(document, "<p>Body</p>", translator="A. Translator", footnotes="<p>Note</p>")
    make_attachment(document, "scan.pdf", b"%PDF scan")
    document.related.set([make_document(title="Public related"),
                          make_document(title="Draft related", status=Document.DRAFT)])
    return document


def test_a_document_has_all_fields(client, cable, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        data = client.get(f"/api/v1/documents/{cable.pk}").json()

    assert data["id"] == cable.pk and data["date"] == "1965-03-05"
    assert data["display_date"] == "March 5, 1965" and data["date_earliest"] == "1965-03-05"
    assert data["texts"] == [{
        "id": cable.texts.get().pk, "kind": "translation",
        "language": {"code": "en", "name": "English"}, "translator": "A. Translator",
        "body": "<p>Body</p>", "footnotes": "<p>Note</p>",
    }]
    attachment = data["attachments"][0]
    assert attachment["size"] == 9 and len(attachment["sha256"]) == 64
    assert attachment["url"].startswith(f"http://testserver/document/{cable.pk}/files/")
    author = cable.authors.get()
    assert data["authors"] == [{"id": author.pk, "name": "Zhou Enlai",
                                "url": f"http://testserver{author.get_absolute_url()}"}]
    assert data["subjects"][0]["name"] == "Students"
    assert data["repository"]["abbreviation"] == "PRC FMA"
    assert [c["title"] for c in data["collections"]] == ["Sino-Soviet Split, 1960-1984"]
    assert [d["title"] for d in data["related"]] == ["Public related"]
    assert "status" not in data


def test_editors_see_the_status_and_drafts(alice_client, cable):
    actions.do_set_status([cable], Document.DRAFT, acting_user=None, via="test")

    data = alice_client.get(f"/api/v1/documents/{cable.pk}").json()
    collection = alice_client.get(f"/api/v1/collections/{cable.collections.get().pk}").json()

    assert data["status"] == "draft"
    assert {d["title"] for d in data["related"]} == {"Public related", "Draft related"}
    assert "Cable" in [d["title"] for d in collection["documents"]]


@pytest.mark.parametrize("status", [Document.DRAFT, Document.WITHDRAWN])
def test_hidden_documents_are_json_404s_for_the_public(client, charlie, cable, status):
    actions.do_set_status([cable], status, acting_user=None, via="test")

    for viewer in (None, charlie):
        if viewer:
            client.force_login(viewer)
        detail = client.get(f"/api/v1/documents/{cable.pk}")
        by_source = client.get("/api/v1/documents", {"source_id": "frus1964-68v30/d1"})
        collection = client.get(f"/api/v1/collections/{cable.collections.get().pk}").json()
        listing = client.get("/api/v1/collections").json()["results"]
        assert detail.status_code == 404 and detail.json() == {"error": "No document has that ID."}
        assert by_source.status_code == 404
        assert "Cable" not in [d["title"] for d in collection["documents"]]
        assert {r["title"]: r["document_count"] for r in listing}[collection["title"]] == 0


def test_documents_can_be_found_by_source_id(client, cable, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):
        response = client.get("/api/v1/documents", {"source_id": "frus1964-68v30/d1"})

    assert response.status_code == 200
    assert [d["id"] for d in response.json()["results"]] == [cable.pk]


@pytest.mark.parametrize("path, status", [
    ("/api/v1/documents?source_id=%20", 400),
    ("/api/v1/documents?source_id=nope", 404), ("/api/v1/documents/424242", 404),
    ("/api/v1/documents/99999999999999999999", 404), ("/api/v1/collections/424242", 404),
    ("/api/v1/collections/0", 404),
])
def test_errors_are_json_with_a_message(client, db, path, status):
    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_writes_are_refused_with_a_json_405(db):
    response = Client(enforce_csrf_checks=True).post("/api/v1/collections")

    assert response.status_code == 405
    assert response.json() == {"error": "POST is not allowed here; use GET."}
