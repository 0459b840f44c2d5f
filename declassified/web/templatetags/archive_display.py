"""Template filters for archive values."""

from django import template

from declassified.archive.dates import display_edtf

register = template.Library()


@register.filter
def edtf_display(value: str) -> str:
    """An EDTF string for humans: '1898/1976' → '1898–1976' (the archive's one date reader)."""
    return display_edtf(value) if value else ""
