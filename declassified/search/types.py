"""The plain data that passes between the layers of declassified.search and out of it.

    IndexRecord              a document as the index holds it (indexing → engine)
    SearchResult, Hit        what a search answers (searching → the facade's callers), with
                             its Suggestions ("did you mean")
    FacetValue, DateBucket   its counts; Counts, the counts of one search (searching,
                             and the browse-all counts indexing saves)
    FacetPage                every value of one facet, a page at a time (searching)
    RebuildReport, IndexDrift what `rebuild_index` and `check_index` report (indexing)

Above language (a result carries its SearchParams and ParsedQuery), below engine; it
imports nothing else of declassified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from declassified.search.language.params import SearchParams
from declassified.search.language.query import ParsedQuery


@dataclass
class IndexRecord:
    """Everything the index holds about one document, as plain values."""

    id: int
    status: str
    title: str
    slug: str = ""
    summary: str = ""
    date: str = ""
    display_date: str = ""
    earliest: dt.date | None = None
    latest: dt.date | None = None
    document_type: str = ""
    classification: str = ""
    source_citation: str = ""
    number: str = ""  # in its edition: "100", "72A"
    participants: list[str] = field(default_factory=list)  # of a conversation
    place_of_origin: str = ""  # the dateline's place
    edition: str = ""  # "FRUS 1964–68, vol. XXX, no. 100", shown with a hit
    languages: list[str] = field(default_factory=list)  # codes of the original languages
    translation_languages: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # plain text of each translation/transcript
    # (page number, 1-based in reading order; its OCR text, an editor's correction if any)
    # for each page with text
    page_texts: list[tuple[int, str]] = field(default_factory=list)
    repository: tuple[int, str, str] | None = None  # id, name, abbreviation
    collections: list[tuple[int, str]] = field(default_factory=list)
    subjects: list[tuple[int, str]] = field(default_factory=list)
    people: list[tuple[int, str, list[str]]] = field(default_factory=list)  # authors, mentioned, contributors
    places: list[tuple[int, str, list[str]]] = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)  # donors, contributors
    language_names: dict[str, str] = field(default_factory=dict)
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    excluded: bool = False  # left out by a not_<name> filter


@dataclass(frozen=True)
class DateBucket:
    value: str  # EDTF usable as date_from and date_to: 196X, 1965, 1965-03
    label: str
    count: int
    level: str


@dataclass(frozen=True)
class FacetPage:
    """One page of every value of a facet under a search (see searching/facet_pages.py)."""

    name: str
    values: list[FacetValue]
    total: int  # how many values there are (containing `contains`, when given)
    page: int
    page_size: int
    contains: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class Counts:
    """What one search counts over its whole match set."""

    total: int  # how many documents match
    facets: dict[str, list[FacetValue]]
    date_level: str
    date_buckets: list[DateBucket]


@dataclass(frozen=True)
class Hit:
    id: int
    url: str
    title: str
    title_html: SafeString
    date: str
    display_date: str
    summary: str
    summary_html: SafeString  # the summary with matched words marked
    snippet: SafeString  # where the words matched in the texts, else the OCR, else the summary
    snippet_from_text: bool  # from a text or the OCR (the summary is shown anyway)
    snippet_source: str = "text"  # "text" (a transcript or translation), "ocr" or "summary"
    snippet_page: int | None = None  # the page (1-based) an OCR snippet was read on
    snippet_words: str = ""  # the matched words on that page, for the viewer to box
    status: str = "published"  # others only in editors' searches
    edition: str = ""  # "FRUS 1964–68, vol. XXX, no. 100" for a document of an edition


@dataclass(frozen=True)
class Suggestion:
    """"Did you mean": the reader's query with some words respelled, and what it finds."""

    q: str  # the whole query text, respelled
    total: int  # how many documents it finds, with the same filters
    words: tuple[tuple[str, str], ...]  # (as typed, as suggested) for each respelled word


@dataclass
class SearchResult:
    params: SearchParams
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    date_level: str
    date_buckets: list[DateBucket]
    notices: list[str] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)  # when there were few results
    query: ParsedQuery = field(default_factory=ParsedQuery)
    # Other spellings of names in the query that were searched too (searching/expansion.py)
    expanded: list[str] = field(default_factory=list)

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def page_size(self) -> int:
        return self.params.page_size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass
class RebuildReport:
    documents: int
    outbox_rows: int
    path: str


@dataclass
class IndexDrift:
    """How the index differs from the database, ignoring documents with pending tasks."""

    documents_in_database: int = 0
    documents_in_index: int = 0
    pending_tasks: int = 0
    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    extra: list[int] = field(default_factory=list)  # in the index, not in the database
    stale: list[int] = field(default_factory=list)  # older version or other status indexed
    schema_outdated: bool = False
    applied_sequence: int = 0  # the last change-log entry this node's index holds
    log_sequence: int = 0  # the last entry numbered in the log
    nodes: list[tuple[str, int, dt.datetime]] = field(default_factory=list)  # live index nodes
    common_terms_outdated: bool = False  # advice, not drift: see engine/common_terms.py

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.stale or self.schema_outdated)
