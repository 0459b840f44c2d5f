"""The file cache (declassified.cache): bounded, without listing itself on every write."""

from __future__ import annotations

from declassified import cache
from declassified.cache import SparselyCulledFileCache


def test_it_culls_only_every_so_many_writes_and_stays_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CULL_EVERY", 20)
    store = SparselyCulledFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 5,
                                                                 "CULL_FREQUENCY": 2}})
    for number in range(19):
        store.set(f"citation-{number}", "rendered")
    assert len(list(tmp_path.glob("*.djcache"))) == 19  # no listing, no cull yet

    store.set("citation-19", "rendered")  # the 20th write looks, and culls half
    assert len(list(tmp_path.glob("*.djcache"))) == 19 - 19 // 2 + 1
    assert store.get("citation-19") == "rendered"
