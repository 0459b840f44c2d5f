"""Meta tags reference managers and search engines read from a document page.

Highwire Press `citation_*` tags (Zotero's "Embedded Metadata" translator, Google Scholar)
and Dublin Core `DC.*` tags, both from the document's CSL-JSON item so every format agrees.
`DC.type = manuscript` is what makes Zotero save the page as a manuscript rather than a
journal article. A document published in a documentary edition is `DC.type = bookSection`
with `citation_book_title` (the volume; the translator's Highwire rules also take this tag
alone as a book section), `citation_inbook_title` (the same, for Google Scholar),
`citation_series_title`, `citation_volume`, `citation_publisher` and the volume's year as
`citation_date`; `citation_editor` names the editors for readers that take it (Zotero's
Highwire mapping has no editor). There are deliberately no
COinS: when a page has both, Zotero prefers COinS and loses the abstract and rights.

Names go out whole, one tag per author. Zotero's reader may still split a comma-less
corporate name into first/last names on import; the RIS, BibTeX and CSL-JSON downloads keep
it whole, and carry the archive and archive location, which no Highwire tag holds.
"""

from __future__ import annotations

from declassified.archive.models import Document

DC_SCHEMA = "http://purl.org/dc/elements/1.1/"


def _iso(parts: list[int]) -> str:
    return "-".join(f"{n:04d}" if i == 0 else f"{n:02d}" for i, n in enumerate(parts))


def highwire_date(item: dict) -> str:
    """YYYY/MM/DD, YYYY/MM or YYYY of the (start of the) date; '' when undated."""
    issued = item.get("issued")
    if not issued:
        return ""
    start = issued["date-parts"][0]
    return "/".join(f"{n:04d}" if i == 0 else f"{n:02d}" for i, n in enumerate(start))


def dc_date(item: dict, variable: str = "issued") -> str:
    """Plain ISO 8601 (1965-03), or an ISO interval for a range (1964/1965); '' when undated.

    Approximation has no W3CDTF form; the CSL-JSON, RIS and BibTeX records carry it.
    `variable` "original-date" gives an edition document's own date (its `issued` is the
    year its volume was published).
    """
    issued = item.get(variable)
    if not issued:
        return ""
    return "/".join(_iso(parts) for parts in issued["date-parts"])


def display_name(name: dict) -> str:
    """A CSL name as written in running text: "Harriet Dashiell Schwar"."""
    if "literal" in name:
        return name["literal"]
    given = " ".join(p for p in (name.get("given"), name["family"]) if p)
    return ", ".join(p for p in (given, name.get("suffix")) if p)


def _edition_tags(item: dict) -> list[tuple[str, str]]:
    tags = [(tag, item[key]) for tag, key in (
        ("citation_book_title", "container-title"), ("citation_inbook_title", "container-title"),
        ("citation_series_title", "collection-title"),
        ("citation_volume", "volume"), ("citation_publisher", "publisher")) if item.get(key)]
    return tags + [("citation_editor", display_name(name)) for name in item.get("editor", [])]


def highwire_tags(item: dict, document: Document) -> list[tuple[str, str]]:
    """(name, content) pairs of the citation_* tags, in a stable order."""
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", display_name(author)) for author in item.get("author", [])]
    if item["type"] == "chapter":
        tags += _edition_tags(item)
    date = highwire_date(item)
    if date:
        tags += [("citation_publication_date", date), ("citation_date", date)]
    tags.append(("citation_public_url", item["URL"]))
    if item.get("abstract"):
        tags.append(("citation_abstract", item["abstract"]))
    tags += [("citation_language", language.code) for language in document.languages.all()]
    tags += [("citation_keywords", subject.name) for subject in document.subjects.all()]
    return tags


def dublin_core_tags(item: dict, document: Document) -> list[tuple[str, str]]:
    """(name, content) pairs of the DC.* tags, in a stable order."""
    in_edition = item["type"] == "chapter"
    tags = [("DC.type", "bookSection" if in_edition else "manuscript"),
            ("DC.title", item["title"])]
    tags += [("DC.creator", display_name(author)) for author in item.get("author", [])]
    date = dc_date(item)
    if date:
        tags.append(("DC.date", date))
    tags.append(("DC.identifier", item["URL"]))
    if item.get("abstract"):
        tags.append(("DC.description", item["abstract"]))
    tags += [("DC.subject", subject.name) for subject in document.subjects.all()]
    tags += [("DC.language", language.code) for language in document.languages.all()]
    source = ", ".join(v for v in (item.get("archive"), item.get("archive_location")) if v)
    if source:
        tags.append(("DC.source", source))
    if document.rights:
        tags.append(("DC.rights", document.rights))
    if item.get("publisher"):
        tags.append(("DC.publisher", item["publisher"]))
    return tags
