"""FRUS volume records (`bibliography/<volume id>.xml`): summary, coverage and publication
facts of a volume (series, number, title, editors, year, medium), used to describe its
collection as an edition when `import-frus --bibliography DIR` is given (frus.edition)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from declassified.ingest.frus.source import sentences
from declassified.ingest.frus.tei import local_name, plain_text


@dataclass(frozen=True)
class BibliographyRecord:
    volume_id: str
    description_html: str  # the summary's paragraphs
    short_description: str  # its first sentence
    date_span: str  # EDTF from coverage, e.g. "1961/1963"
    published_year: str
    sub_series: str = ""  # "Foreign Relations of the United States, 1964–1968"
    volume_number: str = ""  # "Volume XXX", as printed
    volume_title: str = ""  # "China"
    editors: tuple[str, ...] = ()  # editor[@role=primary], else every editor
    medium: str = ""  # media/@type: "print", "epub", "microfiche"


def load_bibliography(directory: str | Path | None, volume_id: str) -> BibliographyRecord | None:
    """The record for this volume in `directory`, or None when there is none or it is unreadable
    (a missing or damaged record never stops an import; the volume's own header suffices)."""
    if not directory:
        return None
    path = Path(directory) / f"{volume_id}.xml"
    if not path.is_file():
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError):
        return None
    summary = next((e for e in root if local_name(e) == "summary"), None)
    paragraphs = [] if summary is None else [
        plain_text(p) for p in summary.iter() if local_name(p) == "p"
    ]
    paragraphs = [p for p in paragraphs if p]
    coverage = {
        e.get("type"): (e.text or "").strip() for e in root if local_name(e) == "coverage"
    }
    published = next((plain_text(e) for e in root if local_name(e) == "published-year"), "")
    titles: dict[str, str] = {}
    for element in root:
        if local_name(element) == "title":
            titles.setdefault(element.get("type") or "", plain_text(element))
    editors = [(e.get("role") or "", plain_text(e)) for e in root if local_name(e) == "editor"]
    primary = [name for role, name in editors if role == "primary" and name]
    medium = next((e.get("type") or "" for e in root if local_name(e) == "media"), "")
    return BibliographyRecord(
        volume_id=volume_id,
        description_html="".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs),
        short_description=(sentences(paragraphs[0]) or [""])[0] if paragraphs else "",
        date_span=_coverage_span(coverage.get("from", ""), coverage.get("to", "")),
        published_year=published,
        sub_series=titles.get("sub-series", ""), volume_number=titles.get("volumenumber", ""),
        volume_title=titles.get("volume", ""),
        editors=tuple(primary or [name for _role, name in editors if name]), medium=medium,
    )


def _coverage_span(start: str, end: str) -> str:
    start, end = start[:4], end[:4]
    if not (start.isascii() and start.isdigit() and len(start) == 4):
        return ""
    if not (end.isascii() and end.isdigit() and len(end) == 4) or end <= start:
        return start
    return f"{start}/{end}"
