"""A document as CSL-JSON (Citation Style Language), the one record every citation format
is made from: the rendered styles, BibTeX, RIS and the cite.json download.

Dates come from the document's derived earliest/latest days; the EDTF string only says how
precise each end is and whether it is approximate or uncertain (`~`, `?`, `%`), which CSL
expresses with its `circa` flag. Names are never split: CSL `literal` names keep corporate
authors ("Central Committee of the CPSU") whole, and personal names too, because the archive
holds names in many orders (Zhou Enlai, Nikita Khrushchev) and no safe split rule exists.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings

from declassified.archive.editions import document_edition
from declassified.archive.models import Document, Text
from declassified.citations.csl_edition import edition_csl
from declassified.citations.markings import has_classification_marking

CSL_ID_PREFIX = "declassified-"
CSL_MEDIA_TYPE = "application/vnd.citationstyles.csl+json"

# One end of the EDTF forms we map one-to-one: year, year-month or day, optionally qualified.
_EDTF_END = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?%]?)$")
_QUALIFIERS = "~?%"
# A source citation longer than this is a source note, not a call number.
SHORT_LOCATION = 120


def csl_id(document: Document) -> str:
    return f"{CSL_ID_PREFIX}{document.pk}"


def _precision(match: re.Match) -> int:
    """1 for a year, 2 for a month, 3 for a day."""
    return 1 + (match.group(2) is not None) + (match.group(3) is not None)


def _date_parts(day: dt.date, precision: int) -> list[int]:
    return [day.year, day.month, day.day][:precision]


def _ends(edtf: str) -> list[re.Match] | None:
    """The matched ends of a single date or a closed interval; None for any other EDTF form."""
    matches = [_EDTF_END.match(part) for part in edtf.split("/")]
    ends = [m for m in matches if m is not None]
    if not 1 <= len(matches) <= 2 or len(ends) != len(matches):
        return None
    if any(m.group(2) is not None and not 1 <= int(m.group(2)) <= 12 for m in ends):
        return None  # seasons (21–24) and other sub-year codes are not months
    return ends


def csl_issued(edtf: str, earliest: dt.date | None, latest: dt.date | None) -> dict | None:
    """CSL `issued` for a document date, or None when undated.

    '1965-03-05' → [[1965, 3, 5]]; '1965-03' → [[1965, 3]]; '1965-03~' → [[1965, 3]] with
    circa; '1964/1965' → [[1964], [1965]]. EDTF forms with no one-to-one CSL form (seasons,
    unspecified digits, sets) become the years their earliest and latest days span.
    """
    edtf = (edtf or "").strip()
    if not edtf or earliest is None or latest is None:
        return None
    ends = _ends(edtf)
    if ends is None:
        parts = [[earliest.year]] if earliest.year == latest.year else [
            [earliest.year], [latest.year]]
        circa = any(q in edtf for q in _QUALIFIERS)
    else:
        parts = [_date_parts(earliest, _precision(ends[0]))]
        if len(ends) == 2:
            parts.append(_date_parts(latest, _precision(ends[1])))
        circa = any(m.group(4) for m in ends)
    issued: dict = {"date-parts": parts}
    if circa:
        issued["circa"] = True
    return issued


def is_exact_single_date(edtf: str) -> bool:
    """True for a plain year, month or day with no qualifier and no range."""
    ends = _ends((edtf or "").strip())
    return ends is not None and len(ends) == 1 and not ends[0].group(4)


def csl_note(document: Document, url: str) -> str:
    """Facts no citation style prints but a reader of the record wants, one per line: for
    an edition document, also where this site publishes it (its URL is the edition's)."""
    lines = []
    if document_edition(document) is not None:
        lines.append(f"Also at {settings.SITE_NAME}: {url}")
    if document.classification:
        lines.append(f"Original classification: {document.classification}")
    if not document.date:
        lines.append("Undated")
    elif not is_exact_single_date(document.date):
        lines.append(f"Date: {document.display_date} (EDTF {document.date})")
    return "\n".join(lines)


def csl_authors(document: Document) -> list[dict]:
    """Authors as CSL literal names, in name order (reads the prefetched list when there is one)."""
    return [{"literal": person.name} for person in document.authors.all()]


def csl_translators(document: Document) -> list[dict]:
    """Who translated the document's text, once each, in the texts' order (reads the
    prefetched texts when there are some)."""
    names = [text.translator.strip() for text in document.texts.all()
             if text.kind == Text.TRANSLATION and text.translator.strip()]
    return [{"literal": name} for name in dict.fromkeys(names)]


def csl_genre(document: Document) -> str:
    """The document's type, unless its title already begins with it ("Record of
    Conversation between…" is not also a "Record of Conversation")."""
    kind = document.document_type.strip()
    return "" if document.title.lower().startswith(kind.lower()) else kind


def archive_location(document: Document) -> str:
    """Where the original archive keeps the document: its call number.

    Never a classification marking or a whole source note: a source citation stands in
    for a missing call number only when it is one short line with no marking in it (a
    Wilson Center-style "PRC FMA 109-03794-01, 1-4", not a FRUS source note).
    """
    if document.call_number.strip():
        return document.call_number.strip()
    source = " ".join(document.source_citation.split())
    if len(source) <= SHORT_LOCATION and not has_classification_marking(source):
        return source
    return ""


def document_csl(document: Document, *, url: str, accessed: dt.date) -> dict:
    """The CSL-JSON item of a document; `url` is its canonical absolute URL on this site.

    An edition document (archive.editions.document_edition) is a part of a published volume
    (citations.csl_edition); any other document is an archival manuscript whose container is
    this site, the digital archive it is read in. Keys that would be empty are left out, as
    CSL processors expect.
    """
    repository = document.repository
    item: dict = {
        "id": csl_id(document),
        "type": "manuscript",
        "title": document.title,
        "author": csl_authors(document),
        "translator": csl_translators(document),
        "issued": csl_issued(document.date, document.date_earliest, document.date_latest),
        "genre": csl_genre(document),
        # The digital archive the document is read in: MLA's second container (CSL `source`,
        # the database), never its publisher.
        "source": settings.SITE_NAME,
        "archive": repository.name if repository else "",
        "archive-place": repository.location if repository else "",
        "archive_location": archive_location(document),
        "abstract": document.summary,
        "note": csl_note(document, url),
        "URL": url,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
    }
    edition = document_edition(document)
    if edition is not None:
        item["original-date"] = item.pop("issued")
        del item["genre"], item["source"]
        edition_item = edition_csl(document, edition)
        edition_item["URL"] = edition_item["URL"] or url
        item.update(edition_item)
    return {key: value for key, value in item.items() if value}
