"""`declassified create-editor`: the first account of the back office, created safely."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

PASSWORD = "archival dust 1965"


@pytest.fixture
def password_in_env(monkeypatch):
    monkeypatch.setenv("DECLASSIFIED_PASSWORD", PASSWORD)


def create_editor(*args) -> str:
    out = io.StringIO()
    call_command("create_editor", *args, stdout=out)
    return out.getvalue()


def test_it_creates_a_staff_editor(password_in_env, client):
    output = create_editor("dana", "--email", "dana@example.org")
    assert "Created dana in the Editor group" in output
    user = User.objects.get(username="dana")
    assert user.is_staff and not user.is_superuser and user.check_password(PASSWORD)
    assert user.email == "dana@example.org"
    assert [g.name for g in user.groups.all()] == ["Editor"]
    assert user.has_perm("archive.publish_document")
    # Through the login form: the login throttle (django-axes) needs the request.
    client.post("/admin/login/", {"username": "dana", "password": PASSWORD})
    assert client.get("/admin/archive/document/").status_code == 200


def test_it_creates_a_contributor_on_request(password_in_env):
    create_editor("erin", "--contributor")
    user = User.objects.get(username="erin")
    assert [g.name for g in user.groups.all()] == ["Contributor"]
    assert not user.has_perm("archive.publish_document")


def test_a_taken_username_is_a_clear_error(password_in_env, alice):
    with pytest.raises(CommandError, match="already exists"):
        create_editor("Alice")


def test_a_weak_password_is_refused_with_the_validators_reasons(monkeypatch):
    monkeypatch.setenv("DECLASSIFIED_PASSWORD", "12345")
    with pytest.raises(CommandError, match="Password refused: .*too short"):
        create_editor("frank")
    assert not User.objects.filter(username="frank").exists()


def test_without_a_password_or_a_terminal_it_says_what_to_do(monkeypatch):
    monkeypatch.delenv("DECLASSIFIED_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("from a pipe\n"))
    with pytest.raises(CommandError, match="set DECLASSIFIED_PASSWORD"):
        create_editor("gina")
    assert not User.objects.filter(username="gina").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["bad name!"], "Username 'bad name!' refused"),
    (["x" * 200], "Username .* refused"),
    (["helen", "--email", "not-an-address"], "is not an email address"),
])
def test_bad_arguments_are_clear_errors(password_in_env, args, message):
    with pytest.raises(CommandError, match=message):
        create_editor(*args)
    assert not User.objects.exclude(username__in=["alice", "bob", "charlie"]).exists()


def test_an_empty_password_variable_is_refused(monkeypatch):
    monkeypatch.setenv("DECLASSIFIED_PASSWORD", "")
    with pytest.raises(CommandError, match="set but empty"):
        create_editor("ivan")
