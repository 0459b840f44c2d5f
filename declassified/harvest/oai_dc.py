"""The Dublin Core (oai_dc) record of a published document, written with lxml.

Library writers of oai_dc get `xsi:schemaLocation` wrong, so the record is built here. The
mapping is documented in docs/harvesting.md ("Dublin Core mapping"); keep the two in step.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.conf import settings
from django.db.models import Prefetch
from lxml import etree

from declassified.archive.models import Document, Text

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# Characters XML 1.0 cannot carry at all; they are dropped rather than failing the response.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# The relations one page of records reads, so a page costs a fixed number of queries. Of the
# texts only translators are needed; their bodies may be long and stay in the database. (So
# not archive.queries.full_documents, which loads whole texts, files and related documents.)
DOCUMENT_PREFETCH = (
    "authors", "people", "contributors", "places", "subjects", "languages", "collections",
    Prefetch("texts", queryset=Text.objects.only("id", "document_id", "translator")),
)


def xml_text(value: object) -> str:
    """Text safe to put into an XML document (control characters removed)."""
    return _NOT_XML.sub("", str(value))


def plain_iso_date(earliest: dt.date | None, latest: dt.date | None) -> str:
    """The document's date as plain ISO 8601, derived from its earliest and latest day.

    The most compact form that names exactly that span: 1962-10-05, 1962-10, 1962, or an
    interval such as 1964/1965 or 1965-03-01/1965-03-15. EDTF qualifiers (circa, uncertain)
    have no plain-ISO form and are dropped; empty when undated.
    """
    if earliest is None or latest is None:
        return ""
    if earliest == latest:
        return earliest.isoformat()
    whole_years = (earliest.month, earliest.day, latest.month, latest.day) == (1, 1, 12, 31)
    if whole_years:
        if earliest.year == latest.year:
            return f"{earliest.year:04d}"
        return f"{earliest.year:04d}/{latest.year:04d}"
    next_day = latest + dt.timedelta(days=1) if latest < dt.date.max else latest
    whole_months = earliest.day == 1 and next_day.day == 1
    if whole_months:
        start, end = f"{earliest:%Y-%m}", f"{latest:%Y-%m}"
        return start if start == end else f"{start}/{end}"
    return f"{earliest.isoformat()}/{latest.isoformat()}"


def dublin_core_values(document: Document, absolute_url: Callable[[str], str]) -> list[tuple]:
    """(element, value) pairs of the record, in the order they are written.

    Reads prefetched relations only (see DOCUMENT_PREFETCH); `absolute_url` turns a path into
    a URL on this site.
    """
    values: list[tuple[str, str]] = [("title", document.title)]
    values += [("creator", person.name) for person in document.authors.all()]
    values += [("subject", subject.name) for subject in document.subjects.all()]
    values += [("subject", person.name) for person in document.people.all()]
    if document.summary:
        values.append(("description", document.summary))
    if document.classification:
        values.append(("description", f"Original classification: {document.classification}"))
    values.append(("publisher", settings.SITE_NAME))
    values += [("contributor", person.name) for person in document.contributors.all()]
    translators = {text.translator for text in document.texts.all() if text.translator}
    values += [("contributor", name) for name in sorted(translators)]
    date = plain_iso_date(document.date_earliest, document.date_latest)
    if date:
        values.append(("date", date))
    values.append(("type", "Text"))
    if document.document_type:
        values.append(("type", document.document_type))
    values.append(("identifier", absolute_url(document.get_absolute_url())))
    if document.source_citation:
        values.append(("source", document.source_citation))
    if document.repository is not None:  # costs no query when repository_id is None
        values.append(("source", document.repository.name))
    values += [("language", language.code) for language in document.languages.all()]
    values += [
        ("relation", absolute_url(collection.get_absolute_url()))
        for collection in document.collections.all()
    ]
    values += [("coverage", place.name) for place in document.places.all()]
    if document.rights:
        values.append(("rights", document.rights))
    return [(name, value) for name, value in values if str(value).strip()]


def oai_dc_element(document: Document, absolute_url: Callable[[str], str]) -> etree._Element:
    """The <oai_dc:dc> element, with the schemaLocation of the oai_dc namespace."""
    root = etree.Element(
        f"{{{OAI_DC_NS}}}dc",
        nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS},
    )
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    for name, value in dublin_core_values(document, absolute_url):
        etree.SubElement(root, f"{{{DC_NS}}}{name}").text = xml_text(value)
    return root
