"""The sample of the archive a generation's common terms are chosen from (see
language/pairs.py for what they are for, engine/common_terms.py for where they are kept).
"""

from __future__ import annotations

import random

from declassified.archive.models import Document
from declassified.search.engine.common_terms import SAMPLE_DOCUMENTS
from declassified.search.indexing.records import records_for_ids
from declassified.search.language.pairs import choose_pair_terms


def sample_common_terms() -> tuple[tuple[list[str], list[str]], int]:
    """Common terms of up to SAMPLE_DOCUMENTS documents spread over the archive (title,
    summary and texts of each; any status: drafts become public later), and how many
    documents were read."""
    bounds = Document.objects.order_by("id").values_list("id", flat=True)
    first, last = bounds.first(), bounds.last()
    if first is None or last is None:
        return ([], []), 0
    span = range(first, last + 1)
    ids = span if len(span) <= SAMPLE_DOCUMENTS else random.Random(0).sample(span, SAMPLE_DOCUMENTS)
    records = records_for_ids(set(ids))
    terms = choose_pair_terms(
        " ".join([r.title, r.summary, *r.texts]) for r in records.values()
    )
    return terms, len(records)
