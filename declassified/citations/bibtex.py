"""A document as a BibTeX entry, made from its CSL-JSON item.

An archival document is `@unpublished` (Zotero: manuscript); a document published in a
documentary edition is `@incollection` (Zotero: book section) with the volume as
`booktitle`, `series`, `volume`, `editor`, `publisher`, `address`, `year` (of the volume)
and "doc. 100" in `number`; its own date is spelled out in `note`. Every name is wrapped in an extra pair
of braces so BibTeX (and Zotero) keep it whole: "{{Central Committee of the CPSU}}" is one
corporate author, not first name "Central Committee of the" and last name "CPSU".

Archive fields: `archive` and `archive_location` carry the CSL variables of the same names
(Better BibTeX and CSL tools read them; Zotero's own BibTeX importer has no archive fields,
which is why the RIS and CSL-JSON downloads exist too). `howpublished` says where the copy is
published (collection, site) and `url`/`urldate` where and when it was read. The date is
`year`/`month` for BibTeX and `date` (ISO 8601, `start/end` for a range) for biblatex;
approximate dates are spelled out in `note`, where the EDTF `~` is escaped (in TeX a bare
`~` is a non-breaking space).
"""

from __future__ import annotations

from declassified.archive.control_chars import strip_control_characters
from declassified.archive.models import Document

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

# TeX specials and how to write them literally.
_ESCAPES = {
    "\\": r"{\textbackslash}",
    "{": r"\{",
    "}": r"\}",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
}


def escape(value: str) -> str:
    """A string as BibTeX field text: TeX specials escaped, whitespace runs collapsed."""
    # Input refuses or strips control characters; rows stored before that are cleaned here.
    text = "".join(_ESCAPES.get(char, char) for char in strip_control_characters(value))
    return " ".join(text.split())


def escape_url(value: str) -> str:
    """URLs keep their characters (url fields are verbatim), minus the ones that end a field."""
    return value.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def _iso(parts: list[int]) -> str:
    return "-".join(f"{n:04d}" if i == 0 else f"{n:02d}" for i, n in enumerate(parts))


def _date_fields(item: dict) -> list[tuple[str, str]]:
    issued = item.get("issued")
    if not issued:
        return []
    parts = issued["date-parts"]
    start = parts[0]
    fields = [("year", str(start[0]))]
    if len(start) > 1 and len(parts) == 1:
        fields.append(("month", MONTHS[start[1] - 1]))
    # biblatex reads ISO 8601 dates and intervals; "circa" is stated in the note instead.
    fields.append(("date", "/".join(_iso(p) for p in parts)))
    return fields


def _field(name: str, value: str, *, raw: bool = False) -> str:
    return f"  {name} = {{{value if raw else escape(value)}}}"


def bibtex_names(names: list[dict]) -> str:
    """Names joined by "and"; a literal name braced whole, a split one as "Family, Given"."""
    written = []
    for name in names:
        if "literal" in name:
            written.append("{" + escape(name["literal"]) + "}")
        else:
            parts = [name["family"], name.get("suffix", ""), name.get("given", "")]
            written.append(", ".join(escape(part) for part in parts if part))
    return " and ".join(written)


def _edition_fields(item: dict) -> list[str]:
    """The volume an edition document is published in, and its number there."""
    fields = []
    for name, key in (("booktitle", "container-title"), ("series", "collection-title"),
                      ("volume", "volume"), ("publisher", "publisher"),
                      ("address", "publisher-place")):
        if item.get(key):
            fields.append(_field(name, item[key]))
    if item.get("editor"):
        fields.append(_field("editor", bibtex_names(item["editor"]), raw=True))
    if item.get("number"):
        fields.append(_field("number", f"doc. {item['number']}"))
    return fields


def document_bibtex(item: dict, document: Document) -> str:
    """The entry for one document; `item` is its CSL-JSON (see csl.document_csl)."""
    fields: list[str] = [_field("title", item["title"])]
    if item.get("author"):
        fields.append(_field("author", bibtex_names(item["author"]), raw=True))
    if item.get("translator"):
        fields.append(_field("translator", bibtex_names(item["translator"]), raw=True))
    in_edition = item["type"] == "chapter"
    if in_edition:
        fields.extend(_edition_fields(item))
    for name, value in _date_fields(item):
        fields.append(_field(name, value, raw=name == "date"))
    for name, key in (("type", "genre"), ("archive", "archive"),
                      ("archive_location", "archive_location"), ("abstract", "abstract")):
        if item.get(key):
            fields.append(_field(name, item[key]))
    if not in_edition and item.get("source"):
        fields.append(_field("howpublished", item["source"]))
    fields.append(_field("url", escape_url(item["URL"]), raw=True))
    accessed = item["accessed"]["date-parts"][0]
    fields.append(_field("urldate", _iso(accessed), raw=True))
    fields.extend(_document_fields(item, document))
    key = item["id"].replace("-", "_")
    entry_type = "@incollection{" if in_edition else "@unpublished{"
    return entry_type + key + ",\n" + ",\n".join(fields) + "\n}\n"


def _document_fields(item: dict, document: Document) -> list[str]:
    """Fields BibTeX has and CSL-JSON does not: notes, subjects, languages, rights."""
    fields = []
    notes = item.get("note", "").splitlines()
    if item["type"] == "chapter" and item.get("original-date"):
        written = "/".join(_iso(p) for p in item["original-date"]["date-parts"])
        notes.insert(0, f"Document dated {written}")
    if notes:
        fields.append(_field("note", "; ".join(notes)))
    subjects = [s.name for s in document.subjects.all()]
    if subjects:
        fields.append(_field("keywords", ", ".join(subjects)))
    languages = [language.code for language in document.languages.all()]
    if languages:
        fields.append(_field("language", ", ".join(languages)))
    if document.rights:
        fields.append(_field("copyright", document.rights))
    return fields
