"""People, places, subjects and repositories: lists (cursor-paginated) and details."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from declassified.archive.models import Document
from tests.factories import (
    make_document,
    make_person,
    make_place,
    make_repository,
    make_subject,
)


def test_people_are_listed_with_their_fields_by_record_id(client, db, django_assert_max_num_queries):
    zhou = make_person("Zhou Enlai", variants=["周恩来"], life_dates="1898/1976",
                       wikidata_id="Q16977", authority_ids={"viaf": "12345"})
    cc = make_person("CC CPSU", kind="organization")

    with django_assert_max_num_queries(1):
        page = client.get("/api/v1/people").json()

    assert page["next"] is None
    assert [p["id"] for p in page["results"]] == [zhou.pk, cc.pk]
    assert page["results"][0] == {
        "id": zhou.pk, "name": "Zhou Enlai", "slug": "zhou-enlai", "description": "",
        "url": f"http://testserver/person/{zhou.pk}/",
        "documents": f"http://testserver/api/v1/documents?person={zhou.pk}",
        "kind": "person", "variants": ["周恩来", "Chou En-lai", "周恩來"],  # + generated
        "life_dates": "1898/1976",
        "wikidata_id": "Q16977", "authority_ids": {"viaf": "12345"},
    }
    assert page["results"][1]["kind"] == "organization"


def test_a_person_counts_only_the_documents_the_reader_may_see(
    alice_client, db, django_assert_max_num_queries
):
    zhou = make_person("Zhou Enlai")
    make_document(authors=[zhou], people=[zhou])
    make_document(status=Document.DRAFT, people=[zhou])
    make_document(status=Document.WITHDRAWN).contributors.set([zhou])

    with django_assert_max_num_queries(2):
        public = Client().get(f"/api/v1/people/{zhou.pk}").json()

    assert public["document_count"] == 1
    assert alice_client.get(f"/api/v1/people/{zhou.pk}").json()["document_count"] == 3


def test_places_have_parent_and_coordinates(client, db):
    china = make_place("China")
    beijing = make_place("Beijing", parent=china, latitude=Decimal("39.904200"),
                         longitude=Decimal("116.407396"), variants=["北京"])

    page = client.get("/api/v1/places", {"limit": 1}).json()
    detail = client.get(f"/api/v1/places/{beijing.pk}").json()

    assert [p["name"] for p in page["results"]] == ["China"] and page["next"]
    assert detail["parent"] == {"id": china.pk, "name": "China",
                                "url": f"http://testserver/place/{china.pk}/"}
    assert detail["latitude"] == pytest.approx(39.9042)
    assert detail["longitude"] == pytest.approx(116.407396)
    assert detail["variants"] == ["北京", "Peking", "Peiping", "Pei-ching"]  # + the curated names
    assert detail["document_count"] == 0


def test_subjects_and_repositories_link_their_documents(client, db):
    students = make_subject("Students")
    archive = make_repository("Archive of the Ministry of Foreign Affairs of the PRC",
                              abbreviation="PRC FMA", location="Beijing",
                              url="https://example.org/fma")
    document = make_document(subjects=[students], repository=archive)
    make_document(status=Document.DRAFT, subjects=[students], repository=archive)

    subject = client.get(f"/api/v1/subjects/{students.pk}").json()
    repository = client.get(f"/api/v1/repositories/{archive.pk}").json()
    harvested = client.get(repository["documents"]).json()["results"]

    assert subject["document_count"] == 1 and repository["document_count"] == 1
    assert repository["abbreviation"] == "PRC FMA" and repository["website"].endswith("/fma")
    assert [d["id"] for d in harvested] == [document.pk]
    assert [d["id"] for d in client.get(subject["documents"]).json()["results"]] == [document.pk]


@pytest.mark.parametrize("path", ["people", "places", "subjects", "repositories"])
def test_every_entity_list_is_one_query_whatever_its_length(
    client, db, path, django_assert_max_num_queries
):
    for n in range(30):
        make_person(f"Person {n}")
        make_place(f"Place {n}", parent=make_place(f"Region {n}"))
        make_subject(f"Subject {n}")
        make_repository(f"Archive {n}")

    with django_assert_max_num_queries(1):
        page = client.get(f"/api/v1/{path}", {"limit": 100}).json()

    assert len(page["results"]) >= 30


@pytest.mark.parametrize("path", ["people", "places", "subjects", "repositories"])
@pytest.mark.parametrize("pk", [424242, 0, 99999999999999])
def test_unknown_entities_are_json_404s(client, db, path, pk):
    response = client.get(f"/api/v1/{path}/{pk}")

    assert response.status_code == 404 and response.json()["error"]
