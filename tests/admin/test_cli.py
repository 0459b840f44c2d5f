"""The account commands as an operator runs them: a fresh data directory, a real terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

DECLASSIFIED = str(Path(sys.executable).with_name("declassified"))


@pytest.fixture
def fresh_env(tmp_path):
    """The environment of a new installation in its own SQLite file (not the test database)."""
    env = {key: value for key, value in os.environ.items() if key != "DECLASSIFIED_PASSWORD"}
    env.update({
        "DECLASSIFIED_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/fresh.sqlite3",
        "DECLASSIFIED_INDEXER_THREAD": "0",
    })
    return env


def run(args, env, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([DECLASSIFIED, *args], env=env, capture_output=True, text=True,
                          timeout=120, **kwargs)


def run_in_terminal(args, env, answers: list[tuple[str, str]]) -> tuple[int, str]:
    """Run in a new pseudo-terminal; answer each prompt once it appears (as a person would:
    getpass discards what was typed before it turned echo off)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([DECLASSIFIED, *args], env=env, stdin=follower, stdout=follower,
                               stderr=follower, start_new_session=True)
    os.close(follower)
    output = b""
    pending = list(answers)
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 60)
            if not ready:
                raise AssertionError(f"no output for 60 s; so far: {output!r}")
            try:
                chunk = os.read(leader, 1024)
            except OSError:  # the terminal closes when the command exits
                break
            if not chunk:
                break
            output += chunk
            if pending and output.decode(errors="replace").endswith(pending[0][0]):
                os.write(leader, pending.pop(0)[1].encode() + b"\n")
    finally:
        os.close(leader)
    return process.wait(timeout=60), output.decode(errors="replace")


def test_commands_explain_an_unmigrated_database_then_create_an_editor_interactively(
    fresh_env,
):
    for command in (["setup-groups"], ["create-editor", "jo"]):
        result = run(command, {**fresh_env, "DECLASSIFIED_PASSWORD": "archival dust 1965"})
        assert result.returncode != 0
        assert "run `declassified migrate` first" in result.stderr
        assert "Traceback" not in result.stderr

    assert run(["migrate", "--noinput"], fresh_env).returncode == 0  # makes the groups too

    code, output = run_in_terminal(["create-editor", "jo"], fresh_env, [
        ("Password: ", "archival dust 1965"), ("Password (again): ", "archival dust 1965"),
    ])
    assert code == 0, output
    assert "Created jo in the Editor group" in output
    assert "archival dust" not in output  # never echoed

    code, output = run_in_terminal(["create-editor", "kim"], fresh_env, [
        ("Password: ", "archival dust 1965"), ("Password (again): ", "archival dust 1966"),
    ])
    assert code != 0 and "The two passwords differ" in output
