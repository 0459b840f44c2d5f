"""The plain data a FRUS volume is read into: no database, no lxml (see frus.parse)."""

from __future__ import annotations

from dataclasses import dataclass, field

HSG = "https://history.state.gov/historicaldocuments/"


@dataclass(frozen=True)
class RepositoryInfo:
    """The archive holding a document's original, as a source note names it."""

    name: str
    abbreviation: str = ""
    location: str = ""


@dataclass
class PersonEntry:
    xml_id: str
    name: str
    description: str
    source_key: str


@dataclass
class TermEntry:
    xml_id: str
    term: str
    expansion: str


@dataclass
class ChapterEntry:
    source_id: str  # "frus1961-63v22/ch3"
    title: str
    kind: str  # compilation, chapter, subchapter…
    parent: str | None  # the parent chapter's source_id; None under the volume
    position: int


@dataclass
class Party:
    """A sender or recipient as the title names it; person_id when it points to the list."""

    name: str
    person_id: str | None = None


@dataclass
class DocumentEntry:
    xml_id: str  # "d12"
    number: str  # "12" (as printed; "72A" happens)
    source_id: str  # "frus1961-63v22/d12"
    source_url: str
    title: str
    chapters: list[str] = field(default_factory=list)  # source_ids, outermost first
    date: str = ""  # EDTF; "" when undated
    date_detail: str = ""  # the time of day, or where the date came from
    place: str = ""
    senders: list[Party] = field(default_factory=list)
    recipients: list[Party] = field(default_factory=list)
    source_note: str = ""
    call_number: str = ""  # the file designation after the archive's name in the source note
    participants: list[str] = field(default_factory=list)  # of a memorandum of conversation
    classification: str = ""
    repository: RepositoryInfo | None = None
    document_type: str = ""
    summary: str = ""
    summary_generated: bool = False
    body_html: str = ""
    footnotes_html: str = ""
    person_ids: list[str] = field(default_factory=list)  # xml:ids in the persons list


@dataclass(frozen=True)
class EditionHeader:
    """What the TEI header's titleStmt says of the volume as a publication (frus.edition
    prefers the bibliography record's values when --bibliography gives one)."""

    series: str = ""  # "Foreign Relations of the United States"
    subseries: str = ""  # "1964–1968"; "The Lansing papers, 1914–1920" in old volumes
    volume_number: str = ""  # "Volume XXIX, Part 1", as printed
    volume_title: str = ""  # "Korea"
    editors: tuple[str, ...] = ()  # primary editors, else all


@dataclass
class VolumeData:
    path: str
    volume_id: str
    title: str
    editors: str
    date_span: str  # EDTF, e.g. "1961/1963"
    header: EditionHeader = field(default_factory=lambda: EditionHeader())
    persons: list[PersonEntry] = field(default_factory=list)
    terms: list[TermEntry] = field(default_factory=list)
    chapters: list[ChapterEntry] = field(default_factory=list)
    documents: list[DocumentEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def source_url(self) -> str:
        return f"{HSG}{self.volume_id}"

    @property
    def undated(self) -> list[str]:
        return [d.source_id for d in self.documents if not d.date]
