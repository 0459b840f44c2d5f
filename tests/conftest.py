"""Shared fixtures: named personas and factories, on the real database of this run.

Personas (as in healthchecks): alice is an editor, bob a contributor (drafts only),
charlie a logged-in stranger with no archive rights; anonymous readers use `client`.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.db import connection


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return "database: postgresql" if "postgresql" in engine else "database: sqlite"


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploads, the search index and dumps of each test live in its own temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    settings.IIIF_CACHE_DIR = tmp_path / "iiif-cache"
    settings.SEARCH_INDEXER_THREAD = False
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": str(tmp_path)},
        # Each test has its own response cache; it is off unless a test asks for it (below).
        "responses": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": f"responses:{tmp_path}"},
    }
    # Bulk data dumps too; no test starts a background regeneration unless it asks for one.
    settings.DUMPS_DIR = tmp_path / "dumps"
    settings.DUMPS_REFRESH_ON_REQUEST = False
    # Query-count assertions measure the views themselves: the response cache (on in
    # production) adds its one generation query, so it is on only where a test asks for it
    # with the `response_cache` fixture — the leak suites, the write-then-read tests and
    # tests/test_response_cache.py.
    settings.RESPONSE_CACHE = False
    # Tests log people in a lot; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def response_cache(settings):
    """Public reads answered from the response cache, as in production."""
    settings.RESPONSE_CACHE = True


@pytest.fixture
def groups(db):
    from declassified.archive.roles import ensure_groups

    return ensure_groups()


def _make_user(username, group_names, *, staff=True):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, f"{username}@example.org", "correct horse battery")
    user.is_staff = staff
    user.save()
    for name in group_names:
        user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def alice(groups):
    """An editor: creates, edits, publishes and withdraws."""
    return _make_user("alice", ["Editor"])


@pytest.fixture
def bob(groups):
    """A contributor: drafts only."""
    return _make_user("bob", ["Contributor"])


@pytest.fixture
def charlie(db):
    """Logged in, but with no rights in the archive."""
    return _make_user("charlie", [], staff=False)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def db_vendor():
    return connection.vendor


__all__ = ["django_settings"]
