"""docs/harvesting.md documents every harvesting URL, setting and command option."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import load_command_class

import declassified.harvest
from declassified.harvest.urls import urlpatterns

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "harvesting.md").read_text(encoding="utf-8")


def test_every_url_is_documented():
    documented = re.sub(r"<[^>]*>", "<>", DOC)
    for pattern in urlpatterns:
        route = "/" + re.sub(r"<[^>]*>", "<>", str(pattern.pattern))
        assert f"`{route}" in documented, f"{route} is not in docs/harvesting.md"


def test_every_setting_is_documented():
    package = Path(declassified.harvest.__file__).parent
    source = "".join(path.read_text() for path in package.rglob("*.py"))
    # Every setting the package reads, but the site's name, which is not a harvesting setting.
    names = set(re.findall(r"settings\.([A-Z][A-Z_]+)", source)) - {"SITE_NAME"}
    assert names, "no settings found: the test reads the wrong files"
    for name in names:
        assert f"`{name}`" in DOC, f"setting {name} is not in docs/harvesting.md"


def test_every_option_of_the_dumps_command_is_documented():
    parser = load_command_class("declassified.harvest", "dumps").create_parser("declassified",
                                                                               "dumps")
    options = {o for action in parser._actions for o in action.option_strings
               if o.startswith("--") and o not in {"--help", "--version", "--verbosity",
                                                    "--settings", "--pythonpath", "--traceback",
                                                    "--no-color", "--force-color",
                                                    "--skip-checks"}}
    assert options == {"--if-stale", "--background", "--base-url"}
    for option in options:
        assert option in DOC
