"""The common terms of an index generation, saved beside it (see language/pairs.py for what
they are for): written when the generation starts empty, read by every reader of it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from declassified.search.language.pairs import NO_PAIRS, PairTerms

COMMON_FILE = "common-terms.json"
SAMPLE_DOCUMENTS = 2000  # how many documents a fresh choice reads (indexing/sampling.py)


def save_common_terms(path: Path, sample: tuple[tuple[list[str], list[str]], int]) -> None:
    """Save ((common terms, partners), how many documents they were chosen from)."""
    (common, partners), sampled = sample
    temporary = path / f".{COMMON_FILE}.{os.getpid()}"
    temporary.write_text(json.dumps({"common_terms": common, "partner_terms": partners,
                                     "sampled_documents": sampled}, ensure_ascii=False))
    os.replace(temporary, path / COMMON_FILE)


def common_terms_outdated(path: Path, documents: int) -> bool:
    """Whether the archive has outgrown the sample the generation's common terms came from
    (a tenth of what a fresh choice would read): phrases of words that have become common
    since are still found, by positions, only more slowly. `reindex` chooses again."""
    try:
        sampled = int(json.loads((path / COMMON_FILE).read_text())["sampled_documents"])
    except (OSError, ValueError, KeyError, TypeError):
        return documents > 0
    return sampled < min(SAMPLE_DOCUMENTS, documents) / 10


def load_common_terms(path: Path) -> PairTerms:
    """The generation's pair terms; none (no pairs used) when the file is missing. A file
    written before partners existed has none: its pairs were made with any word."""
    try:
        saved = json.loads((path / COMMON_FILE).read_text())
        partners = saved.get("partner_terms")
        return PairTerms(frozenset(saved["common_terms"]),
                         None if partners is None else frozenset(partners))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return NO_PAIRS
