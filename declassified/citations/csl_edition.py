"""The CSL-JSON of a document published in a documentary edition (a FRUS volume, or any
collection marked `is_edition`): a part of a published book, CSL type "chapter".

Chicago (CMOS 17, 14.105–14.106 and 14.305, documents in published collections) cites such a
document by its own title, place and date, then the volume as a book — series title with its
years, volume number, volume title, editors, place, publisher, year — and the number the
edition gives the document. In CSL terms:

    title            the document's title, as the edition gives it
    event-place      the dateline's place (Document.place_of_origin)
    original-date    the document's own date (the edition's year is `issued`)
    collection-title the series with its years ("Foreign Relations of the United States, 1964–1968")
    volume           the volume number, roman numerals cited in arabic ("XXX" → "30")
    container-title  the volume's title ("China")
    editor           the volume's editors (split into given and family names, see below)
    publisher, publisher-place, issued (the year of publication), medium (when not print)
    number           the document number ("100", "72A")
    URL              the edition's own page for the document (or for the volume)

The site's name is never the publisher of an edition document, and the archive's location of
the original (call number) is kept in `archive_location` for formats that hold it; the styles
shipped in citations/styles print the edition form from these variables.
"""

from __future__ import annotations

import re

from declassified.archive.editions import edition_editor_names
from declassified.archive.models import Collection, Document

_ROMAN = re.compile(r"\b[IVXLC]+\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_PART = re.compile(r"\bParts?\s+", re.IGNORECASE)
_VOLUME_LIST = re.compile(r"\b\d+(?:/\d+)+\b")
_NAME_SUFFIXES = {"Jr.", "Sr.", "II", "III", "IV"}
# How a medium other than print is named in a citation (CMOS 17 14.161: the format last).
# An online edition is cited by its publisher like a printed one (history.state.gov cites
# its e-volumes so), so "online" names nothing.
MEDIUM_WORDS = {"microfiche": "microfiche", "epub": "EPUB"}


def roman_to_int(numeral: str) -> int:
    """The value of a well-formed roman numeral of capitals ("XXX" → 30)."""
    values = [_ROMAN_VALUES[char] for char in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def cited_volume_number(printed: str) -> str:
    """A volume number as Chicago cites it: arabic numerals, "pt." for a part.

    "XXX" → "30"; "XXIX, Part 1" → "29, pt. 1"; "VII/VIII/IX" → "7–9"; "E–13" stays.
    """
    number = printed.strip()
    number = re.sub(r"^Volumes?\s+", "", number, flags=re.IGNORECASE)
    number = _ROMAN.sub(lambda m: str(roman_to_int(m.group(0))), number)
    number = _VOLUME_LIST.sub(_as_range, number)
    return _PART.sub("pt. ", number)


def _as_range(match: re.Match) -> str:
    """"7/8/9" → "7–9" (consecutive volumes published as one); others stay as listed."""
    numbers = [int(n) for n in match.group(0).split("/")]
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        return f"{numbers[0]}\u2013{numbers[-1]}"
    return match.group(0)


def csl_person_name(name: str) -> dict:
    """An editor's name as CSL given/family parts, so each style can order and initialise it.

    Editors of a published volume are named in Western order on its title page ("Harriet
    Dashiell Schwar", "C. Thomas Thorne, Jr."): the family name is the last word, before a
    generational suffix. A one-word name, or one already written "Family, Given", is kept
    as the family name or split at the comma.
    """
    words = name.replace(",", " ").split()
    suffix = words.pop() if len(words) > 2 and words[-1] in _NAME_SUFFIXES else ""
    if "," in name and not suffix:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given}
    if len(words) < 2:
        return {"literal": name.strip()}
    parts = {"family": words[-1], "given": " ".join(words[:-1])}
    return parts | ({"suffix": suffix} if suffix else {})


def cited_medium(edition: Collection) -> str:
    """The medium a citation names, unless the volume's title already does ("…, Microfiche
    Supplement")."""
    word = MEDIUM_WORDS.get(edition.medium.lower(), "")
    return "" if word.lower() in edition.volume_title.lower() else word


def edition_csl(document: Document, edition: Collection) -> dict:
    """The variables naming the edition and the document's place in it (see module docstring).

    Reads `document.place_of_origin` (select it with the document) and nothing else related.
    """
    place = document.place_of_origin
    item: dict = {
        "type": "chapter",
        "event-place": place.name if place else "",
        "collection-title": edition.series_title,
        "volume": cited_volume_number(edition.volume_number),
        "container-title": edition.volume_title or edition.title,
        "editor": [csl_person_name(name) for name in edition_editor_names(edition)],
        "publisher": edition.publisher,
        "publisher-place": edition.publisher_place,
        "medium": cited_medium(edition),
        "number": document.number,
        "URL": document.source_url or edition.source_url,
    }
    if edition.published_year.isdigit():
        item["issued"] = {"date-parts": [[int(edition.published_year)]]}
    return item
