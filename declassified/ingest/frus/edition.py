"""A FRUS volume as a documentary edition: the Collection fields a citation names (series
with its years, volume number and title, editors, publisher, year, medium, the edition's URL).

The bibliography record (--bibliography) is preferred: it spells the series as the Office of
the Historian cites it; the TEI header gives what it can without it. Pure: data in, a dict of
Collection fields out (frus.write hands it to the bulk action with the importer's fields).
"""

from __future__ import annotations

import re

from declassified.ingest.frus.bibliography import BibliographyRecord
from declassified.ingest.frus.types import VolumeData

# The bibliography records name no publisher. Every printed FRUS volume, the microfiche
# supplements included (they were sold by the Superintendent of Documents with the printed
# volumes), was published by the Government Printing Office in Washington: these are the
# series' facts, not a value read from the files. The electronic volumes (media "epub",
# "Volume E–13"…) were never printed: history.state.gov publishes them itself, so their
# publisher is the Office of the Historian.
PRINTED_PUBLISHER = ("Government Printing Office", "Washington, DC")
ONLINE_PUBLISHER = ("Office of the Historian, U.S. Department of State", "Washington, DC")
# media/@type → Collection.medium (the model's vocabulary: "print", "microfiche", "online").
_MEDIA = {"print": "print", "microfiche": "microfiche", "epub": "online", "pdf": "online",
          "online": "online"}

_VOLUME_WORD = re.compile(r"^\s*Volumes?\s+", re.IGNORECASE)
_SUPPLEMENT = re.compile(r",?\s*(Microfiche Supplement)\s*$", re.IGNORECASE)
_YEAR = re.compile(r"\b1[789]\d\d\b|\b20\d\d\b")
_YEARS_ONLY = re.compile(r"^\d{4}(?:\s*[–-]\s*\d{2,4})?$")


def edition_values(volume: VolumeData, bibliography: BibliographyRecord | None) -> dict:
    """The volume's edition fields (all of them, '' when unknown), with is_edition=True."""
    record = bibliography
    header = volume.header
    number_text = (record.volume_number if record else "") or header.volume_number
    number, supplement = _volume_number(number_text)
    title = (record.volume_title if record else "") or header.volume_title
    if supplement:  # "Volumes VII/VIII/IX, Microfiche Supplement": the words join the title
        title = f"{title}, {supplement}" if title else supplement
    medium = _MEDIA.get((record.medium if record else "").lower(), "")
    if not medium and supplement:
        medium = "microfiche"
    if not medium and number.upper().startswith("E"):
        medium = "online"  # the header alone: an e-volume is numbered "E–13"
    publisher, place = ONLINE_PUBLISHER if medium == "online" else PRINTED_PUBLISHER
    editors = (record.editors if record else ()) or header.editors
    return {
        "is_edition": True, "series_title": series_title(volume, record)[:300],
        "volume_number": number[:80], "volume_title": title[:300],
        "edition_editors": "\n".join(editors), "publisher": publisher,
        "publisher_place": place, "published_year": (record.published_year if record else "")[:10],
        "medium": medium, "source_url": volume.source_url,
    }


def series_title(volume: VolumeData, record: BibliographyRecord | None) -> str:
    """'Foreign Relations of the United States, 1964–1968': the series with the years of its
    sub-series. Old volumes name the series without years ('Foreign Relations of the United
    States: Diplomatic Papers', the Lansing papers): the years of the volume are added."""
    header = volume.header
    if record and record.sub_series and _YEAR.search(record.sub_series):
        return record.sub_series
    series = (record.sub_series if record else "") or header.series
    years = header.subseries if _YEARS_ONLY.match(header.subseries) else ""
    years = years or _span_years(volume.date_span)
    return f"{series}, {years}" if series and years else series


def _volume_number(text: str) -> tuple[str, str]:
    """'Volume XXIX, Part 1' → ('XXIX, Part 1', ''); 'Volumes VII/VIII/IX, Microfiche
    Supplement' → ('VII/VIII/IX', 'Microfiche Supplement')."""
    text = _VOLUME_WORD.sub("", text.strip())
    supplement = _SUPPLEMENT.search(text)
    if supplement:
        return text[: supplement.start()].strip(" ,"), supplement.group(1)
    return text, ""


def _span_years(date_span: str) -> str:
    """EDTF '1914/1920' → '1914–1920'; '1943' stays."""
    return "–".join(part for part in date_span.split("/") if part)
