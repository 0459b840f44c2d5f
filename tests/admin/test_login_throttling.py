"""Login throttling (django-axes): repeated wrong passwords lock the username from that address."""

import time
from datetime import timedelta

import pytest

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery"  # the personas' password (tests/conftest.py)


@pytest.fixture
def short_lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)


def log_in(client, username, password, address="203.0.113.5"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"},
                       REMOTE_ADDR=address)


def test_the_right_password_logs_in(client, alice, short_lockout):
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_wrong_passwords_up_to_the_limit_lock_out_even_the_right_one(client, alice, short_lockout):
    for _ in range(2):
        assert log_in(client, "alice", "wrong").status_code == 200  # the form, with its error
    locked = log_in(client, "alice", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed logins" in page and "alice" in page

    refused = log_in(client, "alice", PASSWORD)
    assert refused.status_code == 429 and "Too many failed logins" in refused.content.decode()
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_after_the_cool_off_the_right_password_works_again(client, alice, short_lockout):
    for _ in range(3):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 429
    time.sleep(1.2)
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 302 and client.get("/admin/").status_code == 200


def test_the_lockout_is_for_that_username_from_that_address_only(client, alice, bob, short_lockout):
    for _ in range(3):
        log_in(client, "alice", "wrong", address="203.0.113.5")
    # The same editor from another address, and a colleague behind the same address, still log in.
    assert log_in(client, "alice", PASSWORD, address="198.51.100.7").status_code == 302
    client.logout()
    assert log_in(client, "bob", PASSWORD, address="203.0.113.5").status_code == 302


def test_an_unknown_username_is_throttled_too(client, db, short_lockout):
    for _ in range(3):
        log_in(client, "mallory", "guess")
    assert log_in(client, "mallory", "guess").status_code == 429


def test_the_api_takes_no_passwords_only_bearer_tokens(client, alice, short_lockout):
    # Nothing to throttle there: keys are 256 random bits (declassified/api/tokens.py).
    response = client.get("/api/v1/documents", HTTP_AUTHORIZATION="Basic YWxpY2U6d3Jvbmc=")
    assert response.status_code in {200, 401}
    assert response["Content-Type"].startswith("application/json")



def through_proxy(client, password, forwarded_for):
    return client.post(LOGIN, {"username": "alice", "password": password}, REMOTE_ADDR="127.0.0.1",
                       HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_the_local_proxy_the_forwarded_address_counts(client, alice, short_lockout):
    for _ in range(3):
        through_proxy(client, "wrong", "203.0.113.5")
    assert through_proxy(client, PASSWORD, "203.0.113.5").status_code == 429
    # Another visitor through the same proxy is someone else, even one who forges the header:
    # the proxy appends the address it saw, and only that last entry counts.
    assert through_proxy(client, PASSWORD, "203.0.113.5, 198.51.100.7").status_code == 302


def test_a_forwarded_header_from_anywhere_but_the_proxy_is_ignored(client, alice, short_lockout):
    for number in range(3):  # a guesser rotating a forged header is still one address
        client.post(LOGIN, {"username": "alice", "password": "wrong"}, REMOTE_ADDR="203.0.113.5",
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert log_in(client, "alice", PASSWORD, address="203.0.113.5").status_code == 429


def test_the_test_clients_login_without_a_request_still_works(client, alice, short_lockout):
    assert client.login(username="alice", password=PASSWORD)
    assert client.get("/admin/").status_code == 200
