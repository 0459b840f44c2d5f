"""`declassified export-bag`: everything public as a BagIt bag (RFC 8493), to deposit with
another archive. Drafts and withdrawn documents are never in it: every document comes from
archive.access.public_documents(), and so do related documents (harvest/records.py).

Payload (data/ of the bag):

    documents.jsonl                   one line a document: the API's document JSON
    documents/<id>/dublin-core.xml    the oai_dc record OAI-PMH serves
    documents/<id>/texts/<text id>-<kind>-<language>.html    translations and transcripts
    documents/<id>/originals/<attachment id>-<file name>     attachments (scans, PDFs)
    README.txt                        what the bag holds and where it came from

The bag is built in a hidden folder beside the destination, its SHA-256 manifests written and
checked by the `bagit` library, then renamed into place.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import bagit
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename
from lxml import etree

from declassified.archive import access
from declassified.archive.models import Attachment, Document
from declassified.harvest.oai_dc import DOCUMENT_PREFETCH, oai_dc_element, xml_text
from declassified.harvest.records import RECORD_SELECT, document_records

BATCH = 200


class BagError(Exception):
    """The bag cannot be written or did not validate; the message says why."""


@dataclass
class BagReport:
    path: Path
    documents: int = 0
    texts: int = 0
    originals: int = 0
    missing_files: list[str] = field(default_factory=list)


def export_bag(destination: Path, *, base_url: str, organization: str,
               say: Callable[[str], None] = lambda text: None) -> BagReport:
    destination = destination.expanduser().resolve()
    if destination.exists():
        raise BagError(f"{destination} already exists; choose a new folder for the bag.")
    if not destination.parent.is_dir():
        raise BagError(f"The folder {destination.parent} does not exist.")
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{destination.name}.partial-", dir=destination.parent))
    except OSError as error:
        raise BagError(f"Cannot write in {destination.parent}: {error.strerror}.") from None
    report = BagReport(destination)
    try:
        _write_payload(work, base_url, report, say)
        (work / "README.txt").write_text(_readme(organization, base_url, report))
        say("checksums (SHA-256) …")
        bag = bagit.make_bag(str(work), _bag_info(organization, base_url, report), checksums=["sha256"])
        bag.validate()
        work.rename(destination)
    except bagit.BagError as error:
        shutil.rmtree(work, ignore_errors=True)
        raise BagError(f"The bag did not validate: {error}") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return report


def public_batches() -> Iterator[list[Document]]:
    """Published documents in id order, BATCH at a time with what their records and Dublin
    Core read (a fixed number of queries a batch, bounded memory)."""
    last_pk = 0
    documents: QuerySet[Document] = access.public_documents().order_by("pk")
    while True:
        batch = list(documents.filter(pk__gt=last_pk).select_related(*RECORD_SELECT)
                     .prefetch_related(*DOCUMENT_PREFETCH, "attachments")[:BATCH])
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk


def _write_payload(folder: Path, base_url: str, report: BagReport, say: Callable[[str], None]) -> None:
    def absolute_url(path: str) -> str:
        return base_url + path

    with open(folder / "documents.jsonl", "w", encoding="utf-8") as lines:
        for batch in public_batches():
            for document, record in zip(batch, document_records(batch, base_url), strict=True):
                lines.write(json.dumps(record, ensure_ascii=False) + "\n")
                _write_document_files(folder / "documents" / str(document.pk), document, record,
                                      absolute_url, report)
                report.documents += 1
            say(f"{report.documents:,} documents …")


def _write_document_files(folder: Path, document: Document, record: dict,
                          absolute_url: Callable[[str], str], report: BagReport) -> None:
    folder.mkdir(parents=True)
    tree = etree.ElementTree(oai_dc_element(document, absolute_url))
    tree.write(str(folder / "dublin-core.xml"), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    for text in record["texts"]:
        name = f"{text['id']}-{text['kind']}-{text['language']['code']}.html"
        (folder / "texts").mkdir(exist_ok=True)
        (folder / "texts" / name).write_text(_text_page(document, text), encoding="utf-8")
        report.texts += 1
    for attachment in document.attachments.all():  # prefetched, in their order
        _copy_original(folder / "originals", attachment, report)


def _copy_original(folder: Path, attachment: Attachment, report: BagReport) -> None:
    name = f"{attachment.pk}-{get_valid_filename(PurePath(attachment.file.name).name)}"
    folder.mkdir(exist_ok=True)
    try:
        with attachment.file.open("rb") as source, open(folder / name, "wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
    except FileNotFoundError:
        (folder / name).unlink(missing_ok=True)
        report.missing_files.append(attachment.file.name)
        return
    report.originals += 1


def _text_page(document: Document, text: dict) -> str:
    # The stored HTML was sanitised when saved (archive/richtext.py); only the title is escaped here.
    title = xml_text(document.title).replace("&", "&amp;").replace("<", "&lt;")
    footnotes = f"\n<section class=\"footnotes\">{text['footnotes']}</section>" if text["footnotes"] else ""
    return (f"<!doctype html>\n<html lang=\"{text['language']['code']}\"><meta charset=\"utf-8\">"
            f"<title>{title}</title>\n<article>{text['body']}</article>{footnotes}\n</html>\n")


def _bag_info(organization: str, base_url: str, report: BagReport) -> dict[str, str]:
    info = {
        "Source-Organization": organization,
        "Contact-Email": settings.OAI_ADMIN_EMAIL,
        "External-Description": (f"Every published document of {organization}: metadata as JSON "
                                 "Lines and Dublin Core XML, texts, and original files."),
        "Bagging-Date": timezone.now().date().isoformat(),
        "Bag-Group-Identifier": "declassified-public-archive",
        "Documents-Count": str(report.documents),
    }
    if base_url:
        info["External-Identifier"] = base_url
    return info


def _readme(organization: str, base_url: str, report: BagReport) -> str:
    return (
        f"Published documents of {organization}{f' ({base_url})' if base_url else ''}, "
        f"exported {timezone.now().isoformat(timespec='seconds')}.\n\n"
        f"{report.documents} documents, {report.texts} texts, {report.originals} original files.\n"
        "documents.jsonl: one JSON object a document, as the archive's API serves it.\n"
        "documents/<id>/dublin-core.xml: the Dublin Core (oai_dc) record OAI-PMH serves.\n"
        "documents/<id>/texts/: translations and transcripts (sanitised HTML).\n"
        "documents/<id>/originals/: the original files; their SHA-256 are in the JSON records too.\n"
        "Drafts and withdrawn documents are never included.\n"
    )
