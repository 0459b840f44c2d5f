"""HTTPS hardening behind settings: HSTS and Secure cookies when the site is https, and a
Content-Security-Policy on every page, which no template breaks with inline code."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import make_document

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"  # the personas' password (tests/conftest.py)
SETTINGS_SHOWN = ["SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
                  "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT"]


def settings_started_with(tmp_path, **environment) -> dict:
    """The security settings a fresh process reads from this environment (as `make run` would)."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_SHOWN + ["SITE_URL"]}
    env |= {"DJANGO_SETTINGS_MODULE": "declassified.settings", "DECLASSIFIED_DATA_DIR": str(tmp_path),
            **environment}
    code = ("import json; from django.conf import settings as s; "
            f"print(json.dumps({{n: getattr(s, n) for n in {SETTINGS_SHOWN!r}}}))")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_http_site_sends_no_hsts_and_plain_cookies(tmp_path):
    values = settings_started_with(tmp_path, SITE_URL="http://archive.example.org")
    assert values == {"SECURE_HSTS_SECONDS": 0, "SESSION_COOKIE_SECURE": False,
                      "CSRF_COOKIE_SECURE": False, "SECURE_PROXY_SSL_HEADER": None,
                      "SECURE_SSL_REDIRECT": False}


def test_an_https_site_turns_hsts_secure_cookies_and_the_proxy_header_on(tmp_path):
    values = settings_started_with(tmp_path, SITE_URL="https://archive.example.org")
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_each_protection_can_be_overridden_from_the_environment(tmp_path):
    values = settings_started_with(tmp_path, SITE_URL="https://archive.example.org",
                                   SECURE_HSTS_SECONDS="300", SESSION_COOKIE_SECURE="0",
                                   SECURE_PROXY_SSL_HEADER="off", SECURE_SSL_REDIRECT="1")
    assert values["SECURE_HSTS_SECONDS"] == 300 and values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is True and values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SECURE_SSL_REDIRECT"] is True


def test_a_bad_proxy_header_stops_the_start_with_a_message(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "declassified.settings",
           "DECLASSIFIED_DATA_DIR": str(tmp_path), "SECURE_PROXY_SSL_HEADER": "X Forwarded: yes"}
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "SECURE_PROXY_SSL_HEADER" in done.stderr


def log_in(client, **extra):
    return client.post("/admin/login/", {"username": "alice", "password": PASSWORD}, **extra)


def test_over_http_the_answers_carry_no_hsts_and_cookies_are_not_secure(client, alice):
    response = log_in(client)
    assert response.status_code == 302
    assert "Strict-Transport-Security" not in response
    assert not response.cookies["sessionid"]["secure"]


def test_behind_an_https_proxy_the_answers_carry_hsts_and_secure_cookies(client, alice, settings):
    # What settings.py chooses for an https SITE_URL (checked above), as the running site has it.
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    login_page = client.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
    assert login_page["Strict-Transport-Security"] == "max-age=31536000"
    assert login_page.cookies["csrftoken"]["secure"]
    response = log_in(client, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 302 and response.cookies["sessionid"]["secure"]


@pytest.mark.parametrize("path", ["/", "/search/?q=cable", "/collections/", "/admin/login/",
                                  "/api/v1/docs", "/api/v1/docs/swagger", "/no-such-page/"])
def test_every_page_carries_a_content_security_policy_without_inline_code(client, db, path):
    make_document(title="A cable")
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "style-src 'self'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_document_page_carries_the_policy_too(client, db):
    document = make_document(title="A cable")
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200 and "Content-Security-Policy" in response


INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"),
     "inline <script>"),
    (re.compile(r"<style\b"), "<style> element"),
    (re.compile(r"\sstyle=\""), "style= attribute"),
    (re.compile(r"\son[a-z]+=\""), "event handler attribute"),
    (re.compile(r"javascript:"), "javascript: URL"),
]


def test_no_template_has_code_the_policy_would_block():
    found = []
    for template in sorted((ROOT / "declassified").rglob("templates/**/*.html")):
        text = template.read_text()
        for pattern, what in INLINE_CODE:
            if pattern.search(text):
                found.append(f"{template.relative_to(ROOT)}: {what}")
    assert found == []
