"""Who gets into the back office at all."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/admin/", "/admin/archive/document/", "/admin/archive/document/add/",
         "/admin/archive/person/"]


@pytest.mark.parametrize("url", PAGES)
def test_it_sends_anonymous_readers_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", PAGES)
def test_it_keeps_out_users_who_are_not_staff(client, charlie, url):
    client.force_login(charlie)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_greets_editors_as_the_back_office(alice_client):
    response = alice_client.get("/admin/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Declassified back office" in page
    assert "/admin/archive/document/" in page
    assert "/admin/archive/revision/" in page  # editors read the audit trail


def test_it_logs_editors_in_with_their_password(client, alice):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "alice", "password": "correct horse battery", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_it_refuses_a_wrong_password_with_a_message(client, alice):
    response = client.post("/admin/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_contributors_see_documents_but_not_the_audit_trail(client, bob):
    client.force_login(bob)
    page = client.get("/admin/").content.decode()
    assert "/admin/archive/document/" in page
    assert "/admin/archive/revision/" not in page
    assert client.get("/admin/archive/revision/").status_code == 403
