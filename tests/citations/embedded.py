"""Read a page's metadata the way Zotero's "Embedded Metadata" translator does.

extruct reads the Dublin Core tags and the JSON-LD; the Highwire `citation_*` tags, which
extruct has no syntax for, are read with the same rules as the translator: `<meta name>`
inside <head>, `citation_date` or `citation_publication_date` for the date, one creator per
`citation_author` (a tag holding several names is split on ";"), and the item type from
`DC.type` when it names a Zotero type (else a book section when there is a
`citation_book_title`, else the journal-article guess `citation_title` gives); the Highwire
fields the translator maps for a book section (bookTitle, series, volume, publisher).
"""

from __future__ import annotations

import extruct
import lxml.html

ZOTERO_TYPES = {"manuscript", "letter", "document", "report", "book", "bookSection",
                "journalArticle"}


def _meta(head, name: str) -> list[str]:
    return [node.get("content") for node in head.xpath("meta[@name=$name]", name=name)]


def embedded_metadata(html: str) -> dict:
    data = extruct.extract(html, syntaxes=["dublincore", "json-ld"], uniform=False)
    dublin_core = {}
    for element in data["dublincore"][0]["elements"]:
        dublin_core.setdefault(element["name"], []).append(element["content"])
    head = lxml.html.document_fromstring(html).find("head")
    dc_type = (dublin_core.get("DC.type") or [""])[0]
    creators = [name.strip() for content in _meta(head, "citation_author")
                for name in content.split(";") if name.strip()]
    dates = _meta(head, "citation_date") or _meta(head, "citation_publication_date")
    guess = "bookSection" if _meta(head, "citation_book_title") else "journalArticle"
    return {
        "itemType": dc_type if dc_type in ZOTERO_TYPES else guess,
        "bookTitle": (_meta(head, "citation_book_title") or [""])[0],
        "series": (_meta(head, "citation_series_title") or [""])[0],
        "volume": (_meta(head, "citation_volume") or [""])[0],
        "publisher": (_meta(head, "citation_publisher") or [""])[0],
        "title": (_meta(head, "citation_title") or [""])[0],
        "date": dates[0] if dates else "",
        "creators": creators,
        "url": (_meta(head, "citation_public_url") or [""])[0],
        "abstractNote": (_meta(head, "citation_abstract") or [""])[0],
        "tags": _meta(head, "citation_keywords"),
        "dublin_core": dublin_core,
        "json_ld": data["json-ld"],
    }
