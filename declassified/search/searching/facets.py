"""Facet counts over the whole match set, from Tantivy terms aggregations.

tantivy-py has no facet collector; a terms aggregation on a fast field counts values, and the
counts are exact when `segment_size` is at least the number of distinct values in a segment
(see the search measurements note), hence the generous SEGMENT_SIZE. ID facets are counted on
u64 fields (no per-bucket string conversion); the labels of the few values shown are then
read from the term dictionary of a companion "id\x1flabel" field.
"""

from __future__ import annotations

from collections.abc import Callable

from declassified.archive.dates import MONTHS
from declassified.archive.languages import language_name
from declassified.search.engine.schema import LABEL_SEPARATOR
from declassified.search.types import DateBucket, FacetValue
from declassified.search.vocabulary import FACET_LIMITS, ID_FACETS, ID_FILTERS, facet_field

SEGMENT_SIZE = 100_000
DATE_LEVELS = ("decade", "year", "month")
DATE_BUCKETS = 100_000
MATCHES = "matches"  # the aggregation counting the documents


def label_of(searcher, generation, name: str, value: str) -> str | None:
    """The label an ID facet value was indexed with (one term-dictionary lookup, cached until
    the next reload of the index)."""
    key = (generation, name, value)
    if key not in _labels:
        if len(_labels) > 50_000:
            _labels.clear()
        prefix = f"{value}{LABEL_SEPARATOR}"
        terms = searcher.terms_with_prefix(ID_FACETS[name][1], prefix, limit=1)
        _labels[key] = terms[0][0].partition(LABEL_SEPARATOR)[2] if terms else None
    return _labels[key]


_labels: dict[tuple, str | None] = {}


def facet_aggregations(names: list[str]) -> dict:
    return {
        name: {"terms": {"field": facet_field(name), "size": FACET_LIMITS[name],
                         "segment_size": SEGMENT_SIZE}}
        for name in names
    }


def date_aggregations() -> dict:
    """The date histogram (every bucket: a few hundred per century of documents) and the
    number of matches (every document has one ID), counted in the same pass."""
    return {"date": {"terms": {"field": "date_bucket", "size": DATE_BUCKETS,
                               "segment_size": DATE_BUCKETS}},
            MATCHES: {"value_count": {"field": "id"}}}


def matches_of(result: dict) -> int:
    """The number of matches counted by date_aggregations."""
    return int(result[MATCHES]["value"])


def facet_values(
    searcher, generation, name: str, result: dict, selected: tuple[str, ...],
    count_of: Callable[[str], int] | None = None, excluded: tuple[str, ...] = (),
) -> list[FacetValue]:
    """Buckets of one aggregation as labelled values. Selected values are always included;
    those outside the top buckets are counted one by one with `count_of`. Excluded values
    come last, with no count (no match has them)."""
    values: list[FacetValue] = []
    for bucket in result.get("buckets", []):
        value = str(bucket["key"])
        values.append(FacetValue(value, "", int(bucket["doc_count"]), value in selected))
    shown = {x.value for x in values}
    values += [FacetValue(v, "", count_of(v) if count_of else 0, True)
               for v in selected if v not in shown]
    values = [v for v in values if v.value not in excluded]
    values += [FacetValue(v, "", 0, excluded=True) for v in excluded]
    labelled = [FacetValue(v.value, label(searcher, generation, name, v.value), v.count,
                           v.selected, v.excluded)
                for v in values]
    labelled.sort(key=lambda v: (v.excluded, -v.count, v.label.casefold()))
    return labelled


def label(searcher, generation, name: str, value: str) -> str:
    """What a reader sees for a value of facet `name`."""
    if name in ID_FILTERS:
        return label_of(searcher, generation, name, value) or value
    if name in ("language", "translation_language"):
        return language_name(value)
    return value


def date_buckets(result: dict) -> tuple[str, list[DateBucket]]:
    """The coarsest level that tells something: decades, or years of the one decade, or
    months of the one year. Returns (level, buckets in date order).

    The aggregation counted each document once, in the finest bucket that holds its span
    (see engine/entries.py, date_bucket); a decade's count is the sum of everything in it, a year's of
    its months and the year itself."""
    levels: dict[str, dict[int, int]] = {level: {} for level in DATE_LEVELS}
    for bucket in result.get("date", {}).get("buckets", []):
        year, rest = divmod(int(bucket["key"]), 100)
        count = int(bucket["doc_count"])
        decade = levels["decade"]
        decade[year // 10 * 10] = decade.get(year // 10 * 10, 0) + count
        if rest != 99:
            levels["year"][year] = levels["year"].get(year, 0) + count
        if 1 <= rest <= 12:
            levels["month"][year * 100 + rest] = count
    level = "decade"
    if len(levels["decade"]) <= 1 and levels["year"]:
        level = "year"
        if len(levels["year"]) <= 1 and levels["month"]:
            level = "month"
    return level, [_date_bucket(level, key, count) for key, count in sorted(levels[level].items())]


def _date_bucket(level: str, key: int, count: int) -> DateBucket:
    if level == "decade":
        return DateBucket(f"{key // 10:03d}X", f"{key}s", count, level)
    if level == "year":
        return DateBucket(f"{key:04d}", str(key), count, level)
    year, month = divmod(key, 100)
    return DateBucket(f"{year:04d}-{month:02d}", f"{MONTHS[month - 1]} {year}", count, level)
