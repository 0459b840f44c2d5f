"""API fixtures: a token per persona, and a client that sends JSON with a token."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from declassified.api import tokens


class ApiClient:
    """Django's test client speaking JSON, with an optional bearer token (no session)."""

    def __init__(self, key: str | None = None):
        self.client = Client(enforce_csrf_checks=True)
        self.key = key

    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def get(self, path: str, params=None):
        return self.client.get(path, params or {}, headers=self.headers())

    def send(self, method: str, path: str, body=None, raw: str | bytes | None = None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.generic(method, path, data, content_type="application/json",
                                   headers=self.headers())

    def post(self, path: str, body=None, **kwargs):
        return self.send("POST", path, body, **kwargs)

    def patch(self, path: str, body=None, **kwargs):
        return self.send("PATCH", path, body, **kwargs)


@pytest.fixture
def alice_api(alice):
    """Alice (an editor) with a fresh API token."""
    return ApiClient(tokens.do_create_token(alice, "alice's script")[1])


@pytest.fixture
def bob_api(bob):
    """Bob (a contributor, drafts only) with a fresh API token."""
    return ApiClient(tokens.do_create_token(bob, "bob's script")[1])


@pytest.fixture
def charlie_api(charlie):
    """Charlie (no archive rights) with a fresh API token."""
    return ApiClient(tokens.do_create_token(charlie, "charlie's script")[1])


@pytest.fixture
def anonymous_api(db):
    return ApiClient()
