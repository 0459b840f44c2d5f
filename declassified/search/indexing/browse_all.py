"""The browse-all counts, counted by the indexer right after each commit and saved beside
the index for every reader (searching/saved_counts.py reads them: the reasons are there).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict
from pathlib import Path

import tantivy

from declassified.search.engine.schema import SCHEMA
from declassified.search.engine.storage import open_index
from declassified.search.language.query import ParsedQuery
from declassified.search.searching.compiler import filter_queries
from declassified.search.searching.complement import every_value_aggregations
from declassified.search.searching.counting import finish_counting, submit
from declassified.search.searching.facets import MATCHES, date_aggregations, matches_of
from declassified.search.searching.saved_counts import (
    BROWSE_ALL,
    FILE_NAME,
    FORMAT,
    PUBLIC,
    opstamp,
    saved_content,
)
from declassified.search.types import Counts
from declassified.search.vocabulary import FILTERS

logger = logging.getLogger("declassified.search")


def count_browse_all(searcher, generation) -> Counts:
    """The browse-all counts, as the search computes them."""
    parsed = ParsedQuery()
    filters = filter_queries(BROWSE_ALL, parsed, PUBLIC)
    tasks, _ = submit(searcher, None, filters, BROWSE_ALL, parsed)
    return finish_counting(searcher, generation, tasks, None, filters, BROWSE_ALL)


def count_every_value(searcher) -> dict:
    """How many published documents, and {facet or "date": [[value, count], …]} over them,
    every value (what searching/complement.py subtracts from)."""
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
    if saved_content(path, index.searcher()) is None:
        save_browse_all(path, index)
    _checked.add(key)


_checked: set[tuple] = set()
