"""The browse-all counts the indexer saves at each commit, and when readers may use them."""

import json

import pytest

from declassified import search
from declassified.search.engine import storage
from declassified.search.searching import saved_counts
from tests.factories import make_document
from tests.search.conftest import find, indexed

pytestmark = pytest.mark.django_db


def test_browse_all_counts_saved_at_each_commit_are_used_only_while_current():
    for _ in range(2):
        make_document(title="Cable", document_type="Cable")
    indexed()
    saved = storage.live_generation() / saved_counts.FILE_NAME
    stale = saved.read_text()
    assert [(v.value, v.count) for v in find().facets["type"]] == [("Cable", 2)]
    make_document(title="Cable", document_type="Cable")
    indexed()
    saved.write_text(stale)  # counts of the previous commit
    search.clear_caches()
    assert [(v.value, v.count) for v in find().facets["type"]] == [("Cable", 3)]


def test_browse_all_counts_of_an_older_version_are_saved_again_when_the_indexer_idles():
    """After an upgrade the saved counts may lack what readers now need (a total, say): the
    indexer saves them again on its first pass with nothing to apply."""
    make_document(title="Cable", document_type="Cable")
    indexed()
    saved = storage.live_generation() / saved_counts.FILE_NAME
    older = json.loads(saved.read_text())
    del older["format"], older["total"]
    saved.write_text(json.dumps(older))

    assert search.apply_pending() == 0
    again = json.loads(saved.read_text())
    assert (again["format"], again["total"]) == (saved_counts.FORMAT, 1)
    search.clear_caches()
    assert find().total == 1 and [(v.value, v.count) for v in find().facets["type"]] == [
        ("Cable", 1)]
