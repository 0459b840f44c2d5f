"""Documentation enforced by tests: every command and setting is explained somewhere."""

import re
from pathlib import Path

from declassified.cli import DJANGO_COMMANDS, project_commands

ROOT = Path(__file__).resolve().parents[1]


def documentation() -> str:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text() for page in pages)


def test_every_project_command_is_documented():
    docs = documentation()
    missing = [name for name in project_commands()
               if name.replace("-", "_") not in DJANGO_COMMANDS and f"declassified {name}" not in docs
               and f"`{name}`" not in docs]
    assert missing == []


def test_every_environment_setting_is_documented():
    settings_source = (ROOT / "declassified" / "settings.py").read_text()
    names = set(re.findall(r'env\.env_\w+\("([A-Z_]+)"', settings_source))
    names |= set(re.findall(r'env\.(?:data_dir|secret_key|database|caches)\("([A-Z_]+)"', settings_source))
    configuration = (ROOT / "docs" / "configuration.md").read_text()
    assert names and [name for name in sorted(names) if f"`{name}`" not in configuration] == []


def test_the_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
