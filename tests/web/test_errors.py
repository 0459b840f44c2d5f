"""Error pages: helpful, leaking nothing, and no URL ever answers with a server error."""

from __future__ import annotations

import pytest
from django.template import loader
from django.test import Client

from declassified.archive.models import Document
from tests.factories import make_collection, make_document, make_person


def test_the_404_page_is_a_full_page_that_helps(client, db):
    response = client.get("/no/such/page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert 'href="/collections/"' in html and 'name="q"' in html


def test_the_500_page_needs_neither_the_request_nor_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("web/errors/500.html").render({})

    assert "Something went wrong" in html


def test_a_server_error_shows_the_500_page(db):
    from declassified.web.views.errors import server_error

    response = server_error(None)

    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.parametrize("path", [
    "/?page=abc", "/collections/?page=-1", "/collection/1/?page=abc", "/collection/1/?page=1e9",
    "/collection/1/%00/", "/collection/1/a/b/", "/document/1/?text=%00", "/document/1/?text=",
    "/document/1/?collection=1&collection=2", "/document/1/slug/?collection=%F0%9F%92%A5",
    "/document/18446744073709551616/", "/document/1/files/18446744073709551616/",
    "/person/1/?page=999999999999999999999999", "/place/-1/", "/subject/1/%C3%A9t%C3%A9/",
    "/repository/1/?page=", "/media/collections/", "/media/collections/%00.jpg",
    "/source/", "/source/%00", "/api/v1/collections/99999999999999999999",
    "/api/v1/documents?source_id=%00", "/api/v1/documents/1?x=%FF",
])
def test_no_url_gives_a_server_error(db, path):
    collection = make_collection()
    make_document(collections=[collection])
    make_person()
    client = Client(raise_request_exception=False)

    response = client.get(path)

    assert response.status_code < 500, path


def test_post_is_refused_cleanly(client, db):
    document = make_document()

    assert client.post(document.get_absolute_url()).status_code in (403, 405)
    assert Client(enforce_csrf_checks=False).post("/collections/").status_code == 405


def test_a_hidden_document_and_an_unknown_one_give_identical_404s(client, db):
    draft = make_document(status=Document.DRAFT, title="Secret plans")
    unknown_id = draft.pk + 1000

    hidden = client.get(f"/document/{draft.pk}/")
    unknown = client.get(f"/document/{unknown_id}/")

    assert hidden.status_code == unknown.status_code == 404
    assert hidden.content == unknown.content
    assert b"Secret plans" not in hidden.content
