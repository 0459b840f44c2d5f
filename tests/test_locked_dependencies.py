"""Reproducible installs: every dependency of pyproject.toml is pinned, with hashes, in requirements.lock.

`make run` and `make test` install from the lock alone (`pip install --require-hashes`), so a
dependency added to pyproject.toml without `make lock` would be missing on a fresh machine.
"""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def declared_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines.extend(extra)
    return [Requirement(line) for line in lines]


def locked_versions() -> dict[str, Version]:
    text = (ROOT / "requirements.lock").read_text()
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", text, flags=re.MULTILINE)
    return {canonicalize_name(name): Version(version) for name, version in pins}


def test_every_declared_dependency_is_locked_at_a_version_it_allows():
    locked = locked_versions()
    problems = []
    for requirement in declared_requirements():
        name = canonicalize_name(requirement.name)
        if name not in locked:
            problems.append(f"{requirement.name} is not in requirements.lock")
        elif not requirement.specifier.contains(locked[name], prereleases=True):
            problems.append(f"{requirement.name}=={locked[name]} does not satisfy {requirement}")
        for extra in requirement.extras:  # psycopg[binary] brings psycopg-binary
            if extra == "binary" and f"{name}-binary" not in locked:
                problems.append(f"{requirement.name}[binary] is not fully locked")
    assert problems == [], "run `make lock`: " + "; ".join(problems)


def test_every_pin_carries_a_hash():
    text = (ROOT / "requirements.lock").read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[-1])
    unhashed = [entry.split(" ", 1)[0] for entry in entries
                if "==" in entry and "--hash=sha256:" not in entry]
    assert unhashed == []


def test_the_server_is_locked_within_its_major_version():
    # A new major version of the server is a decision (gunicorn 27 brought a control socket
    # shared by every instance on a host): pyproject.toml caps it and the lock holds it.
    assert Version("3") <= locked_versions()["waitress"] < Version("4")
    assert "gunicorn" not in locked_versions()


def test_the_makefile_installs_from_the_lock_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "pip install --quiet --no-deps -e ." in makefile
    assert "$(STAMP): $(LOCK)" in makefile
