"""The indexer loop: `declassified indexer --once` and the web server's background thread."""

import time

import pytest
from django.core.management import call_command

from declassified import search
from tests.factories import make_document
from tests.search.conftest import find, indexed

pytestmark = pytest.mark.django_db


def test_the_indexer_command_applies_what_is_waiting(capsys):
    indexed()
    make_document(title="Kosygin cable")
    call_command("indexer", "--once")
    assert "Applied 1 index tasks" in capsys.readouterr().out
    assert find("kosygin").total == 1
    call_command("check_index")
    assert "matches the database" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_applies_changes_within_a_second(settings):
    indexed()
    settings.SEARCH_INDEXER_THREAD = True
    assert search.start_background_indexer()
    try:
        assert not search.start_background_indexer()  # one per process
        make_document(title="Kosygin cable")
        deadline = time.monotonic() + 3
        while find("kosygin").total == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert find("kosygin").total == 1
    finally:
        search.stop_background_indexer()
