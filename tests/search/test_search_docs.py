"""The search documentation names every parameter, filter, sort and command (as datasette
enforces its docs)."""

from pathlib import Path

from declassified import search

DOCS = Path(__file__).resolve().parents[2] / "docs" / "search.md"


def test_every_parameter_and_command_is_documented():
    text = DOCS.read_text()
    names = [*search.FILTERS, *search.SORTS, "q", "date_from", "date_to", "date_match",
             "page", "page_size", "status", "declassified reindex", "declassified check-index",
             "declassified indexer", "DECLASSIFIED_INDEXER_THREAD", "/api/v1/search"]
    for name in names:
        assert f"`{name}`" in text or f"`{name} " in text, name
