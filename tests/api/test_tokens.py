"""API tokens: made by the CLI or the back office, shown once, stored hashed, revocable."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from declassified.api.models import ApiToken
from tests.api.conftest import ApiClient


def create_token(username: str, name: str = "import script") -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "create", username, "--name", name, stdout=out, stderr=err)
    assert "shown only once" in err.getvalue()
    return out.getvalue().strip()


def test_the_cli_prints_a_key_once_and_stores_only_its_hash(alice):
    key = create_token("alice")

    token = ApiToken.objects.get()
    assert key.startswith("dcl_") and len(key) == 47
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:12] and token.user == alice and token.name == "import script"
    assert key not in str(ApiToken.objects.values().get())


def test_a_token_authorizes_writes_until_it_is_revoked(alice):
    key = create_token("alice")
    api = ApiClient(key)
    assert api.post("/api/v1/documents", {"title": "Before"}).status_code == 201

    out = io.StringIO()
    call_command("api_token", "revoke", key[:12], stdout=out)
    refused = api.post("/api/v1/documents", {"title": "After"})

    assert "Revoked token" in out.getvalue()
    assert refused.status_code == 401
    assert refused.json() == {"error": "That API token has been revoked."}
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_the_cli_lists_tokens_without_their_keys(alice, bob):
    alice_key = create_token("alice", "alice's")
    create_token("bob", "bob's")
    call_command("api_token", "revoke", alice_key)  # the whole key works too

    out = io.StringIO()
    call_command("api_token", "list", stdout=out)
    bob_only = io.StringIO()
    call_command("api_token", "list", "bob", stdout=bob_only)

    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and alice_key not in out.getvalue()
    assert "alice's" in lines[0] and "revoked" in lines[0] and "last used never" in lines[0]
    assert "bob's" in lines[1] and "active" in lines[1]
    assert "alice" not in bob_only.getvalue()


@pytest.mark.parametrize("args, message", [
    (["create", "nobody", "--name", "x"], "No user is called 'nobody'"),
    (["create", "alice", "--name", " "], "--name must be 1 to 100 characters"),
    (["revoke", "dcl_nothing"], "No token matches"),
    (["revoke", "999"], "No token matches"),
    (["list", "nobody"], "No user is called"),
])
def test_the_cli_explains_bad_arguments(alice, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("api_token", *args)


def test_revoking_twice_says_so(alice):
    key = create_token("alice")
    call_command("api_token", "revoke", key[:12])
    out = io.StringIO()

    call_command("api_token", "revoke", key[:12], stdout=out)

    assert "already revoked" in out.getvalue()


@pytest.mark.parametrize("header", [
    "Bearer dcl_not-a-real-key", "Bearer", "Basic YWxpY2U6cGFzcw==", "dcl_x", "Bearer ключ",
])
def test_a_bad_authorization_header_is_a_401_even_for_reads(db, header):
    from django.test import Client

    response = Client().get("/api/v1/collections", headers={"Authorization": header})

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json" and response.json()["error"]


def test_a_disabled_account_s_token_is_refused(alice_api, alice):
    alice.is_active = False
    alice.save()

    response = alice_api.get("/api/v1/documents")

    assert response.status_code == 401 and "disabled" in response.json()["error"]


def test_using_a_token_records_when_it_was_last_used(alice_api):
    assert ApiToken.objects.get().last_used_at is None

    alice_api.get("/api/v1/collections")

    assert ApiToken.objects.get().last_used_at is not None


def test_staff_create_a_token_in_the_back_office_and_see_its_key_once(alice_client, alice):
    response = alice_client.post("/admin/api/apitoken/add/", {"name": "notebook"})

    token = ApiToken.objects.get()
    key = response.context["key"]
    assert response.status_code == 200 and token.user == alice and token.name == "notebook"
    assert key in response.content.decode()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in alice_client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert ApiClient(key).post("/api/v1/documents", {"title": "From notebook"}).status_code == 201


def test_staff_revoke_their_tokens_in_the_back_office_and_see_only_their_own(
    alice_client, alice, bob
):
    from declassified.api import tokens

    own, key = tokens.do_create_token(alice, "mine")
    tokens.do_create_token(bob, "bob's")

    listing = alice_client.get("/admin/api/apitoken/").content.decode()
    alice_client.post("/admin/api/apitoken/", {
        "action": "revoke_selected", "_selected_action": [own.pk]})

    assert "mine" in listing and "bob&#x27;s" not in listing and "bob's" not in listing
    own.refresh_from_db()
    assert own.revoked_at is not None
    assert ApiClient(key).get("/api/v1/collections").status_code == 401
