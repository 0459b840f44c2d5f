"""A document as a BibTeX entry, made from its CSL-JSON item.

`@unpublished`, which Zotero imports as a manuscript. Every name is wrapped in an extra pair
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


def document_bibtex(item: dict, document: Document) -> str:
    """The entry for one document; `item` is its CSL-JSON (see csl.document_csl)."""
    fields: list[str] = [_field("title", item["title"])]
    if item.get("author"):
        names = " and ".join("{" + escape(a["literal"]) + "}" for a in item["author"])
        fields.append(_field("author", names, raw=True))
    for name, value in _date_fields(item):
        fields.append(_field(name, value, raw=name == "date"))
    for name, key in (("type", "genre"), ("archive", "archive"),
                      ("archive_location", "archive_location"), ("abstract", "abstract")):
        if item.get(key):
            fields.append(_field(name, item[key]))
    published = [v for v in (item.get("container-title"), item.get("publisher")) if v]
    fields.append(_field("howpublished", ", ".join(published)))
    fields.append(_field("url", escape_url(item["URL"]), raw=True))
    accessed = item["accessed"]["date-parts"][0]
    fields.append(_field("urldate", _iso(accessed), raw=True))
    fields.extend(_document_fields(item, document))
    key = item["id"].replace("-", "_")
    return "@unpublished{" + key + ",\n" + ",\n".join(fields) + "\n}\n"


def _document_fields(item: dict, document: Document) -> list[str]:
    """Fields BibTeX has and CSL-JSON does not: notes, subjects, languages, rights."""
    fields = []
    if item.get("note"):
        fields.append(_field("note", "; ".join(item["note"].splitlines())))
    subjects = [s.name for s in document.subjects.all()]
    if subjects:
        fields.append(_field("keywords", ", ".join(subjects)))
    languages = [language.code for language in document.languages.all()]
    if languages:
        fields.append(_field("language", ", ".join(languages)))
    if document.rights:
        fields.append(_field("copyright", document.rights))
    return fields
