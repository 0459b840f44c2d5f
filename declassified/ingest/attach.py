"""Original files attached to documents from the command line: `attach` and `attach-scans`.

    files = check_manifest(Path("scans/manifest.csv"))     # AttachProblems: every bad row
    files = check_files([Path("a.pdf"), ...], document_id=12)
    result = attach_files(files, acting_user=None, via="attach-scans")
    job = enqueue_page_rendering(result.to_render)          # one pages job for all of them

Everything is checked before anything is written (each file exists and is a readable PDF,
TIFF, JPEG or PNG; each document exists), then the attachments are made in one transaction
through archive actions. A file already attached to its document (same SHA-256) is skipped,
so running the same manifest twice attaches nothing twice.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.db.models import Max

from declassified.archive.actions import do_save_attachment
from declassified.archive.models import Attachment, Document
from declassified.originals.masters import file_sha256
from declassified.originals.sources import UnreadableOriginal, file_kind, page_count

FRUS_SOURCE_ID = re.compile(r"^(frus[^/\s]+)/")


class AttachProblems(Exception):
    """Files or documents that are not right; nothing was attached. One line a problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class FileToAttach:
    where: str  # "row 3" of a manifest, or the file as given on the command line
    path: Path
    document_id: int
    sha256: str
    pages: int


@dataclass
class AttachResult:
    attached: list[Attachment] = field(default_factory=list)
    skipped: list[Attachment] = field(default_factory=list)  # already attached (same SHA-256)
    to_render: list[Attachment] = field(default_factory=list)  # attachments still without pages
    new_pages: int = 0  # pages in the newly attached files


# --- Checking ---------------------------------------------------------------------------------


def check_manifest(manifest: Path) -> list[FileToAttach]:
    """The files of a manifest (`file` relative to it; `source_id` or `document`), in order."""
    try:
        with open(manifest, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise AttachProblems([f"{manifest}: no such file"]) from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise AttachProblems([f"{manifest}: cannot be read as a UTF-8 CSV file ({error})"]) from None
    header = {name.strip().lower() for name in (rows[0].keys() if rows else [])}
    if "file" not in header or not header & {"source_id", "document"}:
        raise AttachProblems([f"{manifest}: needs a header row with a `file` column and a "
                              "`source_id` or `document` column"])
    rows = [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in rows]
    documents = _documents_by_reference(rows)
    problems, files = [], []
    for number, row in enumerate(rows, start=2):  # the header is row 1, as in a spreadsheet
        where = f"row {number}"
        document_id, problem = _document_of_row(row, documents)
        if problem:
            problems.append(f"{where}: {problem}")
        if not row.get("file"):
            problems.append(f"{where}: the `file` cell is empty")
            continue
        checked = _check_file(manifest.parent / row["file"], where, document_id or 0)
        if isinstance(checked, str):
            problems.append(checked)
        elif document_id:
            files.append(checked)
    if problems:
        raise AttachProblems(problems)
    if not files:
        raise AttachProblems([f"{manifest}: no rows"])
    return files


def check_files(paths: Sequence[Path], *, document_id: int) -> list[FileToAttach]:
    """The files given for one document, in order."""
    problems = []
    if not Document.objects.filter(pk=document_id).exists():
        problems.append(f"no document with record ID {document_id}")
    files: list[FileToAttach] = []
    for path in paths:
        checked = _check_file(path, str(path), document_id)
        if isinstance(checked, str):
            problems.append(checked)
        else:
            files.append(checked)
    if problems:
        raise AttachProblems(problems)
    return files


def _check_file(path: Path, where: str, document_id: int) -> FileToAttach | str:
    """The file, checked; or the problem with it, as a line for the user."""
    if not path.is_file():
        return f"{where}: no such file: {path}"
    try:
        file_kind(path)
        pages = page_count(path)
    except UnreadableOriginal as error:
        return f"{where}: {error}"
    except OSError as error:
        return f"{where}: {path} cannot be read ({error.strerror})"
    if pages < 1:
        return f"{where}: {path.name} has no pages"
    return FileToAttach(where, path, document_id, file_sha256(path), pages)


def _documents_by_reference(rows: list[dict]) -> dict[str, int | None]:
    """{source_id or "#<id>": record ID (None when several documents share the source_id)},
    in two queries whatever the number of rows."""
    source_ids = {row["source_id"] for row in rows if row.get("source_id")}
    found: dict[str, int | None] = {}
    for source_id, pk in Document.objects.filter(source_id__in=source_ids).values_list(
            "source_id", "pk"):
        found[str(source_id)] = None if source_id in found else pk
    ids = {int(row["document"]) for row in rows if (row.get("document") or "").isdigit()}
    found.update((f"#{pk}", pk) for pk in Document.objects.filter(pk__in=ids)
                 .values_list("pk", flat=True))
    return found


def _document_of_row(row: dict, documents: dict[str, int | None]) -> tuple[int | None, str]:
    reference = row.get("document") or ""
    if reference:
        if not reference.isdigit():
            return None, f"document {reference!r} is not a record ID (a whole number)"
        if f"#{reference}" not in documents:
            return None, f"no document with record ID {reference}"
        return documents[f"#{reference}"], ""
    source_id: str = row.get("source_id") or ""
    if not source_id:
        return None, "neither `source_id` nor `document` is given"
    if source_id not in documents:
        return None, f"no document with source_id {source_id}; {_how_to_create(source_id)}"
    if documents[source_id] is None:
        return None, (f"several documents have source_id {source_id}; give the record ID in a "
                      "`document` column")
    return documents[source_id], ""


def _how_to_create(source_id: str) -> str:
    volume = FRUS_SOURCE_ID.match(source_id)
    if volume:
        return (f"import {volume.group(1)} first "
                f"(declassified import-frus …/{volume.group(1)}.xml.gz)")
    if source_id.startswith("invented/"):
        return "create it first (declassified import-scan-truth FOLDER-OF-TRUTH-FILES)"
    return "create or import that document first"





# --- Writing ----------------------------------------------------------------------------------


def attach_files(files: Sequence[FileToAttach], *, acting_user: User | None,
                 via: str) -> AttachResult:
    """Attach each file to its document, in order, in one transaction (a file already attached
    to its document is skipped). Files stored before a failure are removed again."""
    result = AttachResult()
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            _attach_all(files, result, stored, acting_user, via)
    except BaseException:
        for attachment in stored:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return result


def _attach_all(files: Sequence[FileToAttach], result: AttachResult, stored: list[Attachment],
                acting_user: User | None, via: str) -> None:
    document_ids = {f.document_id for f in files}
    existing = {(a.document_id, a.sha256): a
                for a in Attachment.objects.filter(document_id__in=document_ids)}
    with_pages = set(Attachment.objects.filter(document_id__in=document_ids, pages__isnull=False)
                     .values_list("pk", flat=True))
    positions = dict(Attachment.objects.filter(document_id__in=document_ids)
                     .values("document_id").annotate(last=Max("position"))
                     .values_list("document_id", "last"))
    for item in files:
        attachment = existing.get((item.document_id, item.sha256))
        if attachment is not None:
            if attachment not in result.skipped and attachment not in result.attached:
                result.skipped.append(attachment)
                if attachment.pk not in with_pages:
                    result.to_render.append(attachment)
            continue
        position = positions.get(item.document_id)
        positions[item.document_id] = position = 0 if position is None else position + 1
        with open(item.path, "rb") as handle:
            attachment = Attachment(document_id=item.document_id, title=item.path.name,
                                    position=position, file=File(handle, name=item.path.name))
            stored.append(attachment)
            do_save_attachment(attachment, acting_user=acting_user, via=via)
        existing[(item.document_id, attachment.sha256)] = attachment
        result.attached.append(attachment)
        result.to_render.append(attachment)
        result.new_pages += item.pages
