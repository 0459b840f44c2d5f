"""The browse-all counts the indexer saves beside the index at each commit, as readers use
them.

The unfiltered search (every published document, every facet counted) is the most visited
and the most expensive to count: every value of every document. Its counts change only when
the index does, so the indexer counts them right after each commit and saves them beside
the index (indexing/browse_all.py); readers (any process) use the saved counts while they
describe the index version they read, and count themselves otherwise. The same file holds
the count of every value over every published document, which complement.py subtracts from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from declassified.search.language.params import SearchParams
from declassified.search.types import Counts, DateBucket, FacetValue

FILE_NAME = "browse-all.json"
FORMAT = 2  # 2: with the total; a file of another format is counted and saved again
PUBLIC = ("published",)
BROWSE_ALL = SearchParams()


def is_browse_all(params: SearchParams, statuses: tuple[str, ...]) -> bool:
    """True for the public search with no words, filters or dates (any sort or page)."""
    return (statuses == PUBLIC and not params.q and not params.filters
            and not params.excluded and not params.scope
            and not params.date_from and not params.date_to)


def opstamp(path: Path) -> int | None:
    """The commit the index at `path` is at (from meta.json), or None."""
    try:
        return int(json.loads((path / "meta.json").read_text())["opstamp"])
    except (OSError, ValueError, KeyError):
        return None


def saved_content(path: Path, searcher) -> dict | None:
    """The saved file's content if it describes what `searcher` sees, else None (parsed once
    per commit in each process; a missing or stale file is looked for again next time, as
    the indexer saves it just after its commit)."""
    global _loaded
    key = (str(path), opstamp(path), searcher.num_docs)
    loaded_key, content = _loaded
    if loaded_key == key:
        return content
    try:
        content = json.loads((path / FILE_NAME).read_text())
    except (OSError, ValueError):
        return None
    if (content.get("opstamp"), content.get("num_docs")) != key[1:]:
        return None
    if content.get("format") != FORMAT:
        return None
    _loaded = (key, content)  # one assignment: threads see the old pair or the new one
    return content


_loaded: tuple = (None, None)


@dataclass(frozen=True)
class EveryValue:
    published: int  # how many published documents
    counts: dict[str, dict]  # {facet or "date": {value: count}}
    ranked: dict[str, list[tuple[int, object]]]  # {facet: [(count, value)], largest first}


def load_every_value(path: Path, searcher) -> EveryValue | None:
    """The count of every value over every published document, if saved for what
    `searcher` sees."""
    content = saved_content(path, searcher)
    if not content or "every_value" not in content:
        return None
    if "every_value_loaded" not in content:  # built once per commit, then shared
        saved = content["every_value"]
        counts = {name: {key: count for key, count in pairs}
                  for name, pairs in saved["counts"].items()}
        ranked = {name: sorted(((count, key) for key, count in pairs), key=lambda p: -p[0])
                  for name, pairs in saved["counts"].items()}
        content["every_value_loaded"] = EveryValue(saved["published"], counts, ranked)
    return content["every_value_loaded"]


def load_browse_all(path: Path, searcher) -> Counts | None:
    """The saved counts if they describe what `searcher` sees, else None."""
    content = saved_content(path, searcher)
    if content is None:
        return None
    facets = {name: [FacetValue(**v) for v in values]
              for name, values in content["facets"].items()}
    return Counts(content["total"], facets, content["level"],
                  [DateBucket(**b) for b in content["buckets"]])
