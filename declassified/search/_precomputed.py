"""Facet counts of the public browse-all search, computed once per index commit.

The unfiltered search (every published document, every facet counted) is the most visited
and the most expensive to count: every value of every document. Its counts change only when
the index does, so the indexer counts them right after each commit and saves them beside
the index; readers (any process) use the saved counts while they describe the index version
they read, and count themselves otherwise.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import tantivy

from declassified.search._backend import SCHEMA, open_index
from declassified.search._facets import Counts, DateBucket, FacetValue
from declassified.search._params import SearchParams
from declassified.search._query import ParsedQuery

logger = logging.getLogger("declassified.search")
FILE_NAME = "browse-all.json"
FORMAT = 2  # 2: with the total; a file of another format is counted and saved again
PUBLIC = ("published",)
BROWSE_ALL = SearchParams()


def is_browse_all(params: SearchParams, statuses: tuple[str, ...]) -> bool:
    """True for the public search with no words, filters or dates (any sort or page)."""
    return (statuses == PUBLIC and not params.q and not params.filters
            and not params.date_from and not params.date_to)


def opstamp(path: Path) -> int | None:
    """The commit the index at `path` is at (from meta.json), or None."""
    try:
        return int(json.loads((path / "meta.json").read_text())["opstamp"])
    except (OSError, ValueError, KeyError):
        return None


def count_browse_all(searcher, generation) -> Counts:
    """The browse-all counts, as the search computes them."""
    from declassified.search._counting import finish_counting, submit
    from declassified.search._queries import filter_queries

    parsed = ParsedQuery()
    filters = filter_queries(BROWSE_ALL, parsed, PUBLIC)
    tasks, _ = submit(searcher, None, filters, BROWSE_ALL, parsed)
    return finish_counting(searcher, generation, tasks, None, filters, BROWSE_ALL)


def count_every_value(searcher) -> dict:
    """How many published documents, and {facet or "date": [[value, count], …]} over them,
    every value (what _complement subtracts from)."""
    from declassified.search._complement import every_value_aggregations
    from declassified.search._facets import MATCHES, date_aggregations, matches_of
    from declassified.search._params import FILTERS

    aggregations = every_value_aggregations(FILTERS) | date_aggregations()
    public = tantivy.Query.term_query(SCHEMA, "status", "published")
    result = searcher.aggregate(public, aggregations)
    return {
        "published": matches_of(result),
        "counts": {name: [[b["key"], int(b["doc_count"])] for b in result[name]["buckets"]]
                   for name in aggregations if name != MATCHES},
    }


def save_browse_all(path: Path, index) -> None:
    """Count for the latest commit of `index` (at `path`) and save beside it. Never fails
    the indexer: readers count for themselves when the file is missing or stale."""
    try:
        index.reload()
        searcher = index.searcher()
        counts = count_browse_all(searcher, ("precompute", str(path)))
        content = {
            "format": FORMAT, "opstamp": opstamp(path), "num_docs": searcher.num_docs,
            "total": counts.total,
            "level": counts.date_level,
            "facets": {name: [asdict(v) for v in values]
                       for name, values in counts.facets.items()},
            "buckets": [asdict(b) for b in counts.date_buckets],
            "every_value": count_every_value(searcher),
        }
        temporary = path / f".{FILE_NAME}.{os.getpid()}"
        temporary.write_text(json.dumps(content))
        os.replace(temporary, path / FILE_NAME)
    except Exception:
        logger.exception("could not precompute the browse-all counts")


def save_browse_all_if_missing(path: Path) -> None:
    """Save the counts when the saved file is missing, stale or of another format (after an
    upgrade, say); the indexer calls this when it has nothing to apply. Checked once per
    commit in each process."""
    key = (str(path), opstamp(path))
    if key in _checked:
        return
    index = open_index(path)
    if _load(path, index.searcher()) is None:
        save_browse_all(path, index)
    _checked.add(key)


_checked: set[tuple] = set()


def _load(path: Path, searcher) -> dict | None:
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
    content = _load(path, searcher)
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
    content = _load(path, searcher)
    if content is None:
        return None
    facets = {name: [FacetValue(**v) for v in values]
              for name, values in content["facets"].items()}
    return Counts(content["total"], facets, content["level"],
                  [DateBucket(**b) for b in content["buckets"]])
