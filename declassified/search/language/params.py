"""Search parameters from a query string, validated once for the page and the API.

Each filter `name` includes documents with any of its values (`person=12&person=15`: either);
`not_<name>` excludes documents with any of its values (`not_subject=7`: none about it). Both
may be given for one filter; all filters must hold together. A page listing a record's
documents (a collection, a person…) adds its own fixed `scope` filter, never in its URLs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from declassified.archive.dates import InvalidDate, parse_document_date
from declassified.search.vocabulary import DOCUMENT_STATUSES, FILTERS, ID_FILTERS

SORTS = ("relevance", "date", "-date", "title")
DATE_MATCHES = ("within", "overlap")
STATUSES = (*DOCUMENT_STATUSES, "all")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000
MAX_VALUES_PER_FILTER = 50
# The longest name a filter can match (Person.name, Collection.title): a longer value
# matches nothing and is refused rather than carried into every link of the page.
MAX_FILTER_VALUE_CHARS = 300
# Past the query language's own bound (query.MAX_QUERY_CHARS) a query is read as plain words
# with a notice; past this one (about what a server's request line carries) it is a 400.
MAX_QUERY_PARAM_CHARS = 4000
EXCLUDE_PREFIX = "not_"  # not_subject=7 leaves out the documents about subject 7


class InvalidSearch(ValueError):
    """A search parameter is malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    excluded: dict[str, tuple[str, ...]] = field(default_factory=dict)  # not_<name> values
    # Fixed filters of a listing page ((name, value), ...): ANDed with everything, never
    # part of its links (the page's own URL says them).
    scope: tuple[tuple[str, str], ...] = ()
    date_from: str = ""
    date_to: str = ""
    date_match: str = "within"
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE
    status: str = "published"
    literal: bool = False  # only the words typed: no other spellings of names (expansion)
    default_page_size: int = PAGE_SIZE  # the page's own size, left out of its URLs

    @property
    def day_range(self) -> tuple[dt.date | None, dt.date | None]:
        """(first day, last day) the date filter allows; parsing was validated already."""
        first = parse_document_date(self.date_from).earliest if self.date_from else None
        last = parse_document_date(self.date_to).latest if self.date_to else None
        return first, last

    def query_items(self, *, page: bool = True, sort: bool = True) -> list[tuple[str, str]]:
        """The parameters as (name, value) pairs, defaults left out (a canonical URL)."""
        items: list[tuple[str, str]] = []
        if self.q:
            items.append(("q", self.q))
        for name in FILTERS:
            items.extend((name, value) for value in self.filters.get(name, ()))
            items.extend((EXCLUDE_PREFIX + name, value) for value in self.excluded.get(name, ()))
        for name, value, default in (
            ("date_from", self.date_from, ""), ("date_to", self.date_to, ""),
            ("date_match", self.date_match, "within"), ("status", self.status, "published"),
        ):
            if value != default:
                items.append((name, value))
        if self.literal:
            items.append(("literal", "1"))
        if sort and self.sort != "relevance":
            items.append(("sort", self.sort))
        if page and self.page_size != self.default_page_size:
            items.append(("page_size", str(self.page_size)))
        if page and self.page != 1:
            items.append(("page", str(self.page)))
        return items

    def urlencode(self, **kwargs) -> str:
        return urlencode(self.query_items(**kwargs))


def parse_params(data: Mapping, *, page_size: int = PAGE_SIZE) -> SearchParams:
    """Read and check parameters from a QueryDict (or a plain dict of str or lists).

    Raises InvalidSearch with a message naming the parameter. Unknown parameters are ignored;
    unknown filter values are fine (they match nothing).
    """
    sort = _single(data, "sort") or "relevance"
    if sort not in SORTS:
        raise InvalidSearch(f"sort must be one of {', '.join(SORTS)} (got {sort!r}).")
    page = _positive_int(data, "page", 1)
    size = _positive_int(data, "page_size", page_size)
    if size > MAX_PAGE_SIZE:
        raise InvalidSearch(f"page_size may be at most {MAX_PAGE_SIZE} (got {size}).")
    if page * size > MAX_RESULT_WINDOW:
        raise InvalidSearch(
            f"Only the first {MAX_RESULT_WINDOW:,} results can be paged through; "
            "narrow the search with words or filters."
        )
    date_match = _single(data, "date_match") or "within"
    if date_match not in DATE_MATCHES:
        raise InvalidSearch("date_match must be 'within' or 'overlap'.")
    status = _single(data, "status") or "published"
    if status not in STATUSES:
        raise InvalidSearch(f"status must be one of {', '.join(STATUSES)}.")
    date_from, date_to = _date(data, "date_from"), _date(data, "date_to")
    if date_from and date_to:
        earliest = parse_document_date(date_from).earliest
        latest = parse_document_date(date_to).latest
        # _date returned both non-empty, and only the empty text is undated (no days)
        assert earliest is not None and latest is not None
        if earliest > latest:
            raise InvalidSearch("date_from is after date_to.")
    q = (_single(data, "q") or "").strip()
    if len(q) > MAX_QUERY_PARAM_CHARS:
        raise InvalidSearch(
            f"q may be at most {MAX_QUERY_PARAM_CHARS:,} characters (got {len(q):,}); "
            "search for fewer words."
        )
    literal = _single(data, "literal")
    if literal not in ("", "0", "1"):
        raise InvalidSearch(f"literal must be 1 (only the words typed) or 0 (got {literal[:20]!r}).")
    return SearchParams(
        q=q, filters=_filters(data), excluded=_filters(data, EXCLUDE_PREFIX),
        date_from=date_from,
        date_to=date_to, date_match=date_match, sort=sort, page=page, page_size=size,
        status=status, default_page_size=page_size, literal=literal == "1",
    )


def _values(data: Mapping, name: str) -> list[str]:
    if hasattr(data, "getlist"):
        return list(data.getlist(name))
    value = data.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _single(data: Mapping, name: str) -> str:
    values = _values(data, name)
    return values[-1].strip() if values else ""


def _positive_int(data: Mapping, name: str, default: int) -> int:
    text = _single(data, name)
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise InvalidSearch(f"{name} must be a whole number of at least 1 (got {text[:20]!r}).")
    return int(text)


def _date(data: Mapping, name: str) -> str:
    text = _single(data, name)
    if not text:
        return ""
    try:
        parsed = parse_document_date(text)
    except InvalidDate as error:
        raise InvalidSearch(f"{name}: {error}") from None
    return parsed.edtf


def _filters(data: Mapping, prefix: str = "") -> dict[str, tuple[str, ...]]:
    """{filter: its values} from the parameters `prefix + filter` (checked, duplicates gone)."""
    filters: dict[str, tuple[str, ...]] = {}
    for name in FILTERS:
        values = filter_values(name, _values(data, prefix + name), prefix + name)
        if values:
            filters[name] = values
    return filters


def filter_values(name: str, raw: list[str], param: str = "") -> tuple[str, ...]:
    """The values of filter `name` as the index holds them; InvalidSearch names `param`."""
    param = param or name
    values = list(dict.fromkeys(v.strip() for v in raw if v.strip()))
    if len(values) > MAX_VALUES_PER_FILTER:
        raise InvalidSearch(f"{param} may be given at most {MAX_VALUES_PER_FILTER} times.")
    if any(len(v) > MAX_FILTER_VALUE_CHARS for v in values):
        raise InvalidSearch(
            f"{param} values may be at most {MAX_FILTER_VALUE_CHARS} characters long."
        )
    if name in ID_FILTERS:
        bad = [v for v in values if not (v.isascii() and v.isdigit()) or len(v) > 18]
        if bad:
            raise InvalidSearch(f"{param} takes record numbers (got {bad[0][:30]!r}).")
        values = [str(int(v)) for v in values]
    return tuple(values)
