"""Every route under /api/ answers JSON one way (declassified.api.http): the same content type,
non-ASCII characters as written (never `\\u` escapes), errors as {"error": message}.

The routes are read from the URLconf, so a new API route fails here until it has a case.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from declassified import search
from declassified.api import tokens
from tests.api.conftest import ApiClient
from tests.factories import (
    make_collection,
    make_document,
    make_person,
    make_place,
    make_repository,
    make_subject,
)
from tests.routes import named_routes

NAME = "Zhōu Ēnlái 周恩来"  # in every record the cases below ask for
CONTENT_TYPE = "application/json"
# People's pages under /api/: HTML by design; their failures are still the API's JSON.
HTML_PAGES = {"api:docs", "api:docs-swagger"}


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # {doc} is the document's ID, {person} the person's, and so on
    status: int = 200
    body: dict | None = None
    follow: bool = False  # the try-it form answers with a redirect to a JSON route


# One request per route that must answer JSON holding NAME, with `alice` (an editor's token).
CASES = {
    "api:collections": Case("GET", "/api/v1/collections"),
    "api:collection": Case("GET", "/api/v1/collections/{collection}"),
    "api:documents": Case("GET", "/api/v1/documents"),
    "api:document": Case("GET", "/api/v1/documents/{doc}"),
    "api:document-publish": Case("POST", "/api/v1/documents/{draft}/publish"),
    "api:document-withdraw": Case("POST", "/api/v1/documents/{doc}/withdraw"),
    "api:people": Case("GET", "/api/v1/people"),
    "api:person": Case("GET", "/api/v1/people/{person}"),
    "api:places": Case("GET", "/api/v1/places"),
    "api:place": Case("GET", "/api/v1/places/{place}"),
    "api:subjects": Case("GET", "/api/v1/subjects"),
    "api:subject": Case("GET", "/api/v1/subjects/{subject}"),
    "api:repositories": Case("GET", "/api/v1/repositories"),
    "api:repository": Case("GET", "/api/v1/repositories/{repository}"),
    "api:search": Case("GET", "/api/v1/search?q=Zh%C5%8Du"),
    "api:search-facet-values": Case("GET", "/api/v1/search/facet-values?facet=person&q_value=Zh%C5%8Du"),
    "api:openapi": Case("GET", "/api/v1/openapi.json"),
    "api:docs-try": Case("GET", "/api/v1/docs/try?operation=get_person&id={person}",
                         follow=True),
    "citations:api": Case("GET", "/api/v1/documents/{doc}/citation"),
}
# Writes answer the same way (and echo what was written as sent).
WRITES = [
    Case("POST", "/api/v1/documents", 201, {"title": NAME, "date": "1965"}),
    Case("PATCH", "/api/v1/documents/{doc}", 200, {"summary": f"Met {NAME}."}),
]
# Errors of every kind, from the views and from the middleware, one shape; the first echoes
# what the reader sent.
ERRORS = [
    Case("GET", "/api/v1/documents?person=Zh%C5%8Du", 400),
    Case("GET", "/api/v1/people/424242", 404),
    Case("GET", "/api/v1/no/such/route", 404),
    Case("DELETE", "/api/v1/docs", 405),
    Case("POST", "/api/v1/docs/swagger", 405),
    Case("POST", "/api/v1/documents/{doc}/citation", 405),
    Case("GET", "/api/v1/docs/try?operation=nope", 400),
    Case("GET", "/api/v1/search?sort=sideways", 400),
]


@pytest.fixture
def records(db) -> dict[str, int]:
    """One record of each kind, every one named or titled with NAME; the index is current."""
    person = make_person(NAME)
    place = make_place(f"Place of {NAME}")
    subject = make_subject(f"Subject {NAME}")
    repository = make_repository(f"Archive of {NAME}")
    collection = make_collection(f"Papers of {NAME}")
    tags = {"people": [person], "authors": [person], "places": [place], "subjects": [subject],
            "collections": [collection], "repository": repository}
    document = make_document(title=f"Cable of {NAME}", **tags)
    draft = make_document(title=f"Draft of {NAME}", status="draft", **tags)
    search.apply_pending()
    return {"doc": document.pk, "draft": draft.pk, "person": person.pk, "place": place.pk,
            "subject": subject.pk, "repository": repository.pk, "collection": collection.pk}


@pytest.fixture
def alice_token(alice) -> ApiClient:
    return ApiClient(tokens.do_create_token(alice, "json check")[1])


def send(api: ApiClient, case: Case, records: dict[str, int]):
    path = case.path.format(**records)
    if case.method == "GET":
        return api.client.get(path, headers=api.headers(), follow=case.follow)
    return api.send(case.method, path, case.body)


def assert_api_json(response, status: int) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == CONTENT_TYPE
    assert b"\\u" not in response.content  # nothing escaped, in any field


def test_every_api_route_has_a_case():
    names = {name for name, route in named_routes().items() if route.startswith("api/")}

    assert names == set(CASES) | HTML_PAGES


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_api_route_answers_utf8_json(alice_token, records, name):
    case = CASES[name]

    response = send(alice_token, case, records)

    assert_api_json(response, case.status)
    expected = "…" if name == "api:openapi" else NAME  # the document describes, holds no records
    assert expected.encode() in response.content


@pytest.mark.parametrize("case", WRITES, ids=lambda c: f"{c.method} {c.path}")
def test_writes_answer_utf8_json(alice_token, records, case):
    response = send(alice_token, case, records)

    assert_api_json(response, case.status)
    assert NAME.encode() in response.content


@pytest.mark.parametrize("case", ERRORS, ids=lambda c: f"{c.method} {c.path}")
def test_every_error_is_the_same_json(alice_token, records, case):
    response = send(alice_token, case, records)

    assert_api_json(response, case.status)
    assert set(response.json()) == {"error"} and response.json()["error"]


def test_an_error_echoes_what_was_sent_as_written(client, db):
    response = client.get("/api/v1/documents", {"person": NAME})

    assert_api_json(response, 400)
    assert NAME[:5].encode() in response.content


def test_a_bad_token_is_the_same_json(db):
    response = Client().get("/api/v1/collections", headers={"Authorization": "Bearer nope"})

    assert_api_json(response, 401)
    assert set(response.json()) == {"error"}


def test_the_pages_for_people_are_html(client, db):
    for path in ("/api/v1/docs", "/api/v1/docs/swagger"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/html; charset=utf-8"
