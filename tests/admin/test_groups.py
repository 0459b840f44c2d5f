"""The Editor and Contributor groups: made by every migrate and by `setup-groups`."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def codenames(group: Group) -> set[str]:
    return set(group.permissions.values_list("codename", flat=True))


def test_migrate_leaves_both_groups_in_place(db):
    # No `groups` fixture here: the test database was built by `migrate`, whose post_migrate
    # hook made the groups.
    editor = Group.objects.get(name="Editor")
    contributor = Group.objects.get(name="Contributor")
    assert {"publish_document", "delete_document", "change_document"} <= codenames(editor)
    assert "change_document" in codenames(contributor)
    assert "publish_document" not in codenames(contributor)
    assert not any(name.startswith("delete_") for name in codenames(contributor))


def test_setup_groups_restores_permissions_someone_removed(db, capsys):
    Group.objects.get(name="Editor").permissions.clear()
    call_command("setup_groups")
    assert "publish_document" in codenames(Group.objects.get(name="Editor"))
    assert "Groups ready: Editor" in capsys.readouterr().out


def test_setup_groups_can_run_again_without_duplicating(db):
    call_command("setup_groups")
    call_command("setup_groups")
    assert Group.objects.filter(name__in=["Editor", "Contributor"]).count() == 2


def test_the_groups_fixture_returns_both_groups(groups):
    assert set(groups) == {"Editor", "Contributor"}
    assert groups["Editor"].permissions.filter(codename="publish_document").exists()
