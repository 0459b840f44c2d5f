"""Settings come from the environment; bad values stop the process with a clear message."""

import ast
import os
import subprocess
import sys
from pathlib import Path

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
        ("OAI_PAGE_SIZE", "0", "OAI_PAGE_SIZE='0' must be between 1 and 10000"),
        ("DUMPS_REFRESH_ON_REQUEST", "sometimes", "is not a boolean"),
    ],
)
def test_a_bad_setting_stops_with_a_message(tmp_path, name, value, message):
    result = run_check(tmp_path, **{name: value})
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_harvest_settings_come_from_the_environment_and_empty_means_the_default(tmp_path):
    show = ("from django.conf import settings as s; "
            "print(s.OAI_PAGE_SIZE, s.SITEMAP_PART_SIZE, s.DUMPS_DIR, s.DATA_LICENCE[:9])")
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(DECLASSIFIED_DATA_DIR=str(tmp_path / "data"), OAI_PAGE_SIZE="7",
                       DUMPS_DIR=str(tmp_path / "files"), SITEMAP_PART_SIZE="", DATA_LICENCE="")
    result = subprocess.run([sys.executable, "-m", "declassified.cli", "shell", "-v", "0", "-c", show],
                            env=environment, capture_output=True, text=True, timeout=120)

    assert result.stdout.split() == ["7", "50000", str(tmp_path / "files"), "Documents"]


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


# --- Every setting is declared, with its default, in declassified/settings.py only ---------

PACKAGE = Path(__file__).resolve().parents[2] / "declassified"

def package_nodes() -> list[tuple[str, ast.AST]]:
    """(path in the package, node) of every syntax node of every module of the package."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            found.append((path.relative_to(PACKAGE).as_posix(), node))
    return found


def is_settings(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "settings"


def test_no_setting_has_a_default_outside_settings_py():
    defaults = {
        (path, node.args[1].value)
        for path, node in package_nodes()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        and node.func.id == "getattr" and len(node.args) == 3 and is_settings(node.args[0])
        and isinstance(node.args[1], ast.Constant)
    }

    assert defaults == set()


def test_every_setting_the_code_reads_is_declared():
    from django.conf import global_settings

    declared = {
        target.id
        for node in ast.parse((PACKAGE / "settings.py").read_text()).body
        for statement in ([node] if not isinstance(node, ast.Try) else node.body)
        if isinstance(statement, ast.Assign)
        for target in statement.targets if isinstance(target, ast.Name)
    }
    read = {node.attr for path, node in package_nodes()
            if isinstance(node, ast.Attribute) and is_settings(node.value) and node.attr.isupper()}

    assert read and sorted(read - declared - set(dir(global_settings))) == []
