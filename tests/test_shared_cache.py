"""CACHE_URL: every web node of a cluster shares one Redis cache (docs/configuration.md).

Each "node" here is its own Python process with its own data dir, as on separate machines;
the Redis server is the real one at 127.0.0.1:6379 (CI has it too), database 15.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from django.test import override_settings

from declassified import env
from tests.factories import make_document

REDIS_URL = "redis://127.0.0.1:6379/15"
NOBODY_LISTENS = "redis://127.0.0.1:6390/0"


def on_node(tmp_path, node: str, code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` with Django set up, in a fresh process with its own data dir."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "declassified.settings",
                   "DECLASSIFIED_DATA_DIR": str(tmp_path / node), **env}
    script = "import django; django.setup()\n" + code
    return subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True,
                          text=True, timeout=60)


def test_a_value_cached_by_one_node_is_read_by_another(tmp_path):
    key = f"test-shared-{uuid.uuid4().hex}"
    written = on_node(tmp_path, "a", f"""
from django.core.cache import caches
caches["default"].set("{key}", "rendered citation", 60)
caches["responses"].set("{key}", "cached page", 60)
""", CACHE_URL=REDIS_URL)
    assert written.returncode == 0, written.stderr

    read = on_node(tmp_path, "b", f"""
from django.conf import settings
from django.core.cache import caches
print(caches["default"].get("{key}"), "|", caches["responses"].get("{key}"), "|",
      settings.SESSION_ENGINE)
caches["default"].delete("{key}"); caches["responses"].delete("{key}")
""", CACHE_URL=REDIS_URL)

    assert read.returncode == 0, read.stderr
    default, responses, sessions = (part.strip() for part in read.stdout.split("|"))
    # One server, two caches kept apart by their key prefixes.
    assert (default, responses) == ("rendered citation", "cached page")
    assert sessions == "django.contrib.sessions.backends.cached_db"  # written through to the DB
    assert not (tmp_path / "b" / "cache").exists()  # nothing in the node's own data dir


def test_without_cache_url_each_machine_keeps_its_files(tmp_path):
    key = f"test-local-{uuid.uuid4().hex}"
    on_node(tmp_path, "a", f'from django.core.cache import cache; cache.set("{key}", 1, 60)',
            CACHE_URL="")
    read = on_node(tmp_path, "b", f"""
from django.conf import settings
from django.core.cache import cache
print(cache.get("{key}"), settings.SESSION_ENGINE)
""", CACHE_URL="")
    assert read.stdout.split() == ["None", "django.contrib.sessions.backends.db"]
    assert list((tmp_path / "a" / "cache").glob("*.djcache"))


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "redis://", "127.0.0.1:6379"])
def test_a_cache_url_it_cannot_use_stops_the_process_with_a_message(tmp_path, url):
    started = on_node(tmp_path, "a", "", CACHE_URL=url)

    assert started.returncode != 0
    assert f"Configuration error: CACHE_URL={url!r}: use redis://host:port/db" in started.stderr
    assert "Traceback" not in started.stderr


def test_a_redis_that_is_down_costs_renders_never_an_error_page(client, alice, db, monkeypatch,
                                                                 caplog, tmp_path):
    """Before ForgivingRedisCache, this document page answered 500 (ConnectionError)."""
    document = make_document(title="Cable from Moscow")
    monkeypatch.setenv("CACHE_URL", NOBODY_LISTENS)
    client.raise_request_exception = False
    with override_settings(CACHES=env.caches("CACHE_URL", tmp_path), RESPONSE_CACHE=True,
                           SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        page = client.get(f"/document/{document.pk}/")
        client.force_login(alice)  # the session is written through to the database
        back_office = client.get("/admin/")

    assert page.status_code == 200 and b"Cable from Moscow" in page.content
    assert back_office.status_code == 200  # the session was read back from the database
    assert "Redis cache get failed" in caplog.text

