"""Index generations on disk: atomic swaps under live searches, an empty answer while the
first index is built, and a generation of an older schema replaced rather than failing."""

import threading

import pytest
import tantivy

from declassified import search
from declassified.search.engine import storage
from tests.factories import make_document
from tests.search.conftest import find, indexed

pytestmark = pytest.mark.django_db


def test_rebuild_swaps_atomically_while_searches_go_on():
    for n in range(30):
        make_document(title=f"Kosygin cable {n}")
    indexed()
    first = storage.live_generation()
    totals, errors, stop = [], [], threading.Event()

    def keep_searching():
        while not stop.is_set():
            try:
                totals.append(find("kosygin").total)
            except Exception as error:  # noqa: BLE001 - any failure is what we look for
                errors.append(error)

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        search.rebuild_index()
        search.rebuild_index()
    finally:
        stop.set()
        searcher.join()
    assert not errors and totals and set(totals) == {30}
    live = storage.live_generation()
    assert live != first and not first.exists()  # the one before the previous is removed
    assert len(list((storage.base_dir() / "generations").iterdir())) == 2


def test_searches_answer_empty_while_the_first_index_is_built():
    make_document(title="Kosygin cable")
    with storage.writer_lock():  # as a first `declassified reindex` would hold it
        assert find("kosygin").total == 0
    indexed()
    assert find("kosygin").total == 1


def test_an_index_built_by_an_older_schema_is_rebuilt_not_a_server_error(client):
    """After an upgrade that changes the schema, search answers (empty) instead of failing,
    and the next indexer pass rebuilds from the database."""
    document = make_document(title="Kosygin in Beijing")
    indexed()
    old = storage.base_dir() / "generations" / "v0-before-the-upgrade"
    old.mkdir(parents=True)
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("something_else", stored=True)
    tantivy.Index(builder.build(), str(old)).writer().commit()
    storage.swap_live(old)

    response = client.get("/search/", {"q": "Kosygin"})
    assert response.status_code == 200
    assert find("Kosygin").total == 0

    indexed()
    assert storage.is_current_schema(storage.live_generation())
    assert [hit.id for hit in find("Kosygin").hits] == [document.pk]
