"""Foreign Relations of the United States (FRUS): TEI volumes into the archive.

Reading a volume into plain data (pure Python and lxml; no database, no Django):

    parse.py         a .xml/.xml.gz file → VolumeData: metadata, chapters, persons, terms,
                     documents; FrusFormatError (file and line) when it cannot be read
    documents.py     one <div type="document"> → DocumentEntry: title, date, parties, notes
    body.py          a document's TEI → sanitised HTML with footnotes (BodyRenderer)
    source.py        facts stated in prose: classification, archive, type, dates, people's keys
    bibliography.py  the volume records of --bibliography → BibliographyRecord
    tei.py           TEI namespaces, local names, plain text
    types.py         the plain data: VolumeData, DocumentEntry, PersonEntry, …

Writing it into the archive (needs Django; every write through declassified.archive's
bulk actions, one transaction per volume):

    write.py         import_volume(volume, bibliography=…, acting_user=…, via=…) → VolumeResult
    people.py        the volume's persons and organisations → Person rows, across volumes

This package's names below are the reading half only, on purpose: the import job parses
volumes ahead in a spawned process (ingest.jobs), which imports this package without
Django's app registry, so nothing imported here may define or import models. The writing
half is `declassified.ingest.frus.write` (`import_volume`, `VolumeResult`).
"""

from declassified.ingest.frus.bibliography import BibliographyRecord, load_bibliography
from declassified.ingest.frus.parse import FrusFormatError, parse_or_error, parse_volume
from declassified.ingest.frus.types import VolumeData

__all__ = [
    "BibliographyRecord", "FrusFormatError", "VolumeData", "load_bibliography", "parse_or_error",
    "parse_volume",
]
