"""The `attachments` column of the tabular import: original files (scans, PDF) to attach.

    files, problems = check_attachments(["scan-1.pdf", "scan-2.tif"], folder, identified=True)
    pending = new_files(rows, documents_of_rows(rows))   # reading: files not yet attached
    attached = attach_files(rows, acting_user=..., via=...)   # inside the import's transaction

Paths are relative to the import file's folder. Every file is checked while the file is
parsed (it exists, is a PDF, TIFF, JPEG or PNG we can read, and its SHA-256), so a missing
or unreadable file is a row error and the import changes nothing. A file whose SHA-256 is
already attached to the document is not attached again, so importing twice attaches once.
The importer then queues one pages job for the files it attached (tabular.import_rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.contrib.auth.models import User
from django.core.files import File
from django.db.models import Max, Q

from declassified.archive import actions
from declassified.archive.models import Attachment, Document
from declassified.archive.upsert import DocumentInput
from declassified.originals.masters import file_sha256
from declassified.originals.sources import UnreadableOriginal, file_kind, page_count


class ImportRow(Protocol):
    """What these functions read of tabular.ImportRow (named here, so that tabular imports
    this module and not the other way round)."""

    number: int
    data: DocumentInput
    attachments: list[AttachmentFile]

COLUMN = "attachments"
UPLOADED = ("paths in the attachments column are relative to the import file, and an uploaded "
            "file has no folder on the server: import the file and its originals from the "
            "server with `declassified import`, or attach the files on the document's "
            "\"Pages and originals\" page")


@dataclass(frozen=True)
class AttachmentFile:
    """A file named in a row, checked: where it is, and its SHA-256."""

    cell: str  # as written in the row
    path: Path
    sha256: str


def check_attachments(cells: Sequence[str], base: Path | None,
                      *, identified: bool) -> tuple[list[AttachmentFile], list[str]]:
    """The row's files, each checked; a message per missing or unreadable file.

    `base` is the import file's folder (None: an uploaded file, whose paths mean nothing);
    `identified`: the row has an id or a source_id, by which its files find their document."""
    names = [cell.strip() for cell in cells if cell.strip()]
    if not names:
        return [], []
    if base is None:
        return [], [UPLOADED]
    problems: list[str] = []
    if not identified:
        problems.append("a row with attachments needs an id or a source_id (so that "
                        "importing it again finds the same document and attaches nothing twice)")
    files: list[AttachmentFile] = []
    for name in names:
        path = base / name
        try:
            file_kind(path)
            page_count(path)
            files.append(AttachmentFile(name, path, file_sha256(path)))
        except FileNotFoundError:
            problems.append(f"{name}: no such file (looked for {path})")
        except IsADirectoryError:
            problems.append(f"{name}: is a folder, not a file")
        except OSError as error:
            problems.append(f"{name}: cannot be read ({error.strerror})")
        except UnreadableOriginal as error:
            # Its message starts with the file's name; the path as written is clearer.
            message = str(error)
            problems.append(name + message[len(path.name):] if message.startswith(path.name)
                            else f"{name}: {message}")
    return files, problems





def documents_of_rows(rows: Sequence[ImportRow]) -> dict[int, int]:
    """{row number: document ID} for the rows with files whose document exists (as
    do_upsert_documents matches: record ID, else source_id). One query."""
    wanted = [row for row in rows if row.attachments]
    if not wanted:
        return {}
    ids = [row.data.id for row in wanted if row.data.id is not None]
    source_ids = [row.data.source_id for row in wanted if row.data.source_id]
    found = list(Document.objects.filter(Q(pk__in=ids) | Q(source_id__in=source_ids))
                 .values_list("pk", "source_id"))
    by_id = {pk for pk, _ in found}
    by_source = {source_id: pk for pk, source_id in found if source_id}
    documents = {}
    for row in wanted:
        if row.data.id is not None and row.data.id in by_id:
            documents[row.number] = row.data.id
        elif row.data.source_id in by_source:
            documents[row.number] = by_source[row.data.source_id]
    return documents


def new_files(rows: Sequence[ImportRow],
              documents: dict[int, int]) -> list[tuple[int | None, AttachmentFile]]:
    """(document ID or None for a document still to create, file) for every file not yet
    attached to its document, in row order; each SHA-256 once per document. One query;
    `documents` is documents_of_rows(rows)."""
    attached: set[tuple[int | str, str]] = set(
        Attachment.objects.filter(document_id__in=set(documents.values()))
        .values_list("document_id", "sha256"))
    pending: list[tuple[int | None, AttachmentFile]] = []
    for row in rows:
        document_id = documents.get(row.number)
        key = document_id if document_id is not None else f"row {row.number}"
        for file in row.attachments:
            if (key, file.sha256) in attached:
                continue
            attached.add((key, file.sha256))
            pending.append((document_id, file))
    return pending


def attach_files(rows: Sequence[ImportRow], *, acting_user: User | None,
                 via: str) -> list[Attachment]:
    """Attach the rows' new files to their documents (which exist by now), after each
    document's other files, through archive.actions. Call inside the import's transaction."""
    documents = documents_of_rows(rows)
    pending = new_files(rows, documents)
    if not pending:
        return []
    next_position = dict(Attachment.objects.filter(document_id__in=set(documents.values()))
                         .values("document_id").annotate(last=Max("position"))
                         .values_list("document_id", "last"))
    attachments = []
    for document_id, file in pending:
        assert document_id is not None, file  # the upsert created every row's document
        position = next_position.get(document_id, -1) + 1
        next_position[document_id] = position
        with open(file.path, "rb") as handle:
            attachment = Attachment(document_id=document_id, position=position)
            attachment.file.save(file.path.name, File(handle, name=file.path.name), save=False)
            attachments.append(actions.do_save_attachment(attachment, acting_user=acting_user,
                                                          via=via))
    return attachments
