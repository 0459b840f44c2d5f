"""Template filters for archive values."""

from django import template

from declassified.archive.dates import display_edtf
from declassified.archive.information import DocumentInformation
from declassified.archive.information import document_information as information_of

register = template.Library()


@register.filter
def edtf_display(value: str) -> str:
    """An EDTF string for humans: '1898/1976' → '1898–1976' (the archive's one date reader)."""
    return display_edtf(value) if value else ""


@register.simple_tag
def document_information(document) -> DocumentInformation:
    """{% document_information document as info %}: its edition, translators, participants
    (from the prefetched collections and texts: no query)."""
    return information_of(document)
