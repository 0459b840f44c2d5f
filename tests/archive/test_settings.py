"""Settings come from the environment; bad values stop the process with a clear message."""

import os
import subprocess
import sys

import pytest


def run_check(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    environment.update({"DECLASSIFIED_DATA_DIR": str(tmp_path / "data"), **env})
    return subprocess.run(
        [sys.executable, "-m", "declassified.cli", "check"],
        env=environment, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("PORT", "eighty", "PORT='eighty' is not a whole number"),
        ("PORT", "70000", "PORT='70000' must be between 1 and 65535"),
        ("DATABASE_URL", "mysql://x/y", "only sqlite:///path and postgres://"),
        ("SECRET_KEY", "short", "SECRET_KEY must be at least 32 characters"),
    ],
)
def test_a_bad_setting_stops_with_a_message(tmp_path, name, value, message):
    result = run_check(tmp_path, **{name: value})
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_secret_key_is_generated_once_and_kept(tmp_path):
    assert run_check(tmp_path).returncode == 0
    key_file = tmp_path / "data" / "secret_key"
    first = key_file.read_text()
    assert run_check(tmp_path).returncode == 0
    assert key_file.read_text() == first and len(first) >= 40


def test_help_lists_the_project_commands(tmp_path):
    environment = {**os.environ, "DECLASSIFIED_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "declassified.cli", "--help"],
        env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0
    for command in ("serve", "migrate", "import", "export", "load-samples"):
        assert f"  {command} " in result.stdout


def test_an_unknown_command_is_a_message(tmp_path):
    environment = {**os.environ, "DECLASSIFIED_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "declassified.cli", "frobnicate"],
        env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert "unknown command 'frobnicate'" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SITE_URL", "archive.example.org", "must be an absolute http:// or https:// URL"),
        ("OAI_ADMIN_EMAIL", "nobody", "is not an email address"),
    ],
)
def test_bad_public_addresses_stop_with_a_message(tmp_path, name, value, message):
    result = run_check(tmp_path, **{name: value})
    assert result.returncode == 2 and message in result.stderr


def test_usage_errors_name_the_command_as_typed(tmp_path):
    environment = {**os.environ, "DECLASSIFIED_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "declassified.cli", "create-editor"],
        env=environment, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert result.returncode != 0
    assert "declassified create-editor: error: the following arguments are required" in result.stderr
