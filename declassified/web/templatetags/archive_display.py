"""Template filters for archive values."""

from django import template

from declassified.archive.dates import display_edtf
from declassified.archive.editions import edition_short_title
from declassified.archive.information import DocumentInformation
from declassified.archive.information import document_information as information_of

register = template.Library()


@register.filter
def edtf_display(value: str) -> str:
    """An EDTF string for humans: '1898/1976' → '1898–1976' (the archive's one date reader)."""
    return display_edtf(value) if value else ""


@register.filter
def edition_label(document) -> str:
    """'FRUS 1964–68, vol. XXX, no. 100' for a listed document published in an edition (its
    `editions`, prefetched by queries.document_listing); '' for an archival document."""
    editions = getattr(document, "editions", None)
    if not editions:
        return ""
    edition = editions[0]
    label = edition_short_title(edition.series_title, edition.volume_number,
                                edition.volume_title, edition.title)
    return f"{label}, no. {document.number}" if document.number else label
@register.simple_tag
def document_information(document) -> DocumentInformation:
    """{% document_information document as info %}: its edition, translators, participants
    (from the prefetched collections and texts: no query)."""
    return information_of(document)
