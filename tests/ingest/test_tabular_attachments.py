"""The tabular import's `attachments` column: files next to the import file become the
documents' originals, all or nothing, once each, rendered by one pages job."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from declassified.archive.models import Attachment, Document, Page
from declassified.ingest.models import ImportJob
from declassified.ingest.tabular import InvalidImport, import_rows, parse_file
from declassified.ingest.tabular_columns import EXPORT_COLUMNS_WITH_STATUS
from tests.factories import make_attachment, make_document, scan_bytes
from tests.ingest.test_tabular_import import write_csv, write_jsonl

pytestmark = pytest.mark.django_db


def run_import(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import", str(path), *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def scans(tmp_path) -> Path:
    folder = tmp_path / "import"
    (folder / "scans").mkdir(parents=True)
    (folder / "scans" / "cable-p1.jpg").write_bytes(scan_bytes(text="Cable, page 1"))
    (folder / "scans" / "cable-p2.png").write_bytes(scan_bytes(text="Cable, page 2", kind="PNG"))
    (folder / "memo.jpg").write_bytes(scan_bytes(text="Memo"))
    return folder


def test_a_csv_row_attaches_its_files_and_renders_their_pages(scans):
    path = write_csv(scans / "docs.csv", [
        {"source_id": "t/1", "title": "Cable", "attachments": "scans/cable-p1.jpg|scans/cable-p2.png"},
        {"source_id": "t/2", "title": "Memo", "attachments": "memo.jpg"},
        {"source_id": "t/3", "title": "No scan", "attachments": ""},
    ])
    out = run_import(path)
    assert "3 created" in out and "3 file(s) attached" in out
    assert "3 page(s) rendered" in out
    cable = Document.objects.get(source_id="t/1")
    files = list(cable.attachments.order_by("position"))
    assert [a.sha256 for a in files] == [
        hashlib.sha256((scans / "scans" / name).read_bytes()).hexdigest()
        for name in ("cable-p1.jpg", "cable-p2.png")
    ]
    assert [a.position for a in files] == [0, 1]
    assert [p.attachment_id for p in cable.pages.order_by("position")] == [f.pk for f in files]
    assert Document.objects.get(source_id="t/2").pages.count() == 1
    job = ImportJob.objects.get(kind=ImportJob.PAGES)
    assert job.state == ImportJob.DONE and len(job.options["attachments"]) == 3


def test_importing_again_attaches_nothing_twice(scans):
    path = write_jsonl(scans / "docs.jsonl", [
        {"source_id": "t/1", "title": "Cable", "attachments": ["memo.jpg", "memo.jpg"]},
    ])
    run_import(path, "--queue-pages")
    assert Attachment.objects.count() == 1  # the same file twice in a row: once
    out = run_import(path, "--queue-pages")
    assert "1 unchanged" in out and "attached" not in out
    assert Attachment.objects.count() == 1
    assert ImportJob.objects.filter(kind=ImportJob.PAGES).count() == 1


def test_a_new_file_for_an_unchanged_document_is_attached_after_its_others(scans):
    document = make_document(source_id="t/9", title="Existing")
    make_attachment(document, "old.pdf", b"%PDF-1.4 old", position=3)
    rows = parse_file(write_jsonl(scans / "one.jsonl", [
        {"id": document.pk, "source_id": "t/9", "title": "Existing", "attachments": ["memo.jpg"]},
    ]))
    dry = import_rows(rows, acting_user=None, dry_run=True)
    assert dry.attached == 1 and dry.pages_job is None and Attachment.objects.count() == 1
    result = import_rows(rows, acting_user=None)
    assert (result.updated, result.attached) == (0, 1) and result.pages_job is not None
    assert list(document.attachments.values_list("position", flat=True)) == [3, 4]


@pytest.mark.parametrize("cell, message", [
    ("missing.jpg", "missing.jpg: no such file (looked for"),
    ("scans", "scans: is a folder, not a file"),
    ("notes.txt", "notes.txt is not a PDF, TIFF, JPEG or PNG file"),
    ("torn.pdf", "torn.pdf cannot be read: Failed to load document"),
])
def test_a_missing_or_unreadable_file_is_a_row_error_and_nothing_changes(scans, cell, message):
    (scans / "notes.txt").write_text("minutes, typed")
    (scans / "torn.pdf").write_bytes(b"%PDF-1.4\n torn")
    path = write_csv(scans / "docs.csv", [
        {"source_id": "t/1", "title": "Fine", "attachments": "memo.jpg"},
        {"source_id": "t/2", "title": "Broken", "attachments": cell},
    ])
    with pytest.raises(CommandError) as raised:
        run_import(path)
    assert f"row 3, field attachments: {message}" in str(raised.value)
    assert not Document.objects.exists() and not Attachment.objects.exists()
    assert not ImportJob.objects.exists()


def test_a_row_with_files_needs_an_id_or_source_id(scans):
    path = write_csv(scans / "docs.csv", [{"title": "Anonymous", "attachments": "memo.jpg"}])
    with pytest.raises(InvalidImport) as raised:
        parse_file(path)
    assert "row 2, field attachments: a row with attachments needs an id or a source_id" in str(
        raised.value)


def test_an_uploaded_import_file_cannot_name_files(scans):
    path = write_csv(scans / "docs.csv", [{"source_id": "t/1", "title": "A",
                                           "attachments": "memo.jpg"}])
    with pytest.raises(InvalidImport) as raised:
        parse_file(path, uploaded=True)
    assert "an uploaded file has no folder on the server" in str(raised.value)


def test_a_failing_write_leaves_no_attachment(scans, monkeypatch):
    """All or nothing: the files are attached in the import's transaction."""
    from declassified.archive import actions

    calls = []
    original = actions.do_save_attachment

    def second_fails(attachment, **kwargs):
        calls.append(attachment)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(attachment, **kwargs)

    monkeypatch.setattr(actions, "do_save_attachment", second_fails)
    rows = parse_file(write_jsonl(scans / "docs.jsonl", [
        {"source_id": "t/1", "title": "Cable",
         "attachments": ["scans/cable-p1.jpg", "scans/cable-p2.png"]},
    ]))
    with pytest.raises(RuntimeError):
        import_rows(rows, acting_user=None)
    assert not Document.objects.exists() and not Attachment.objects.exists()
    assert not Page.objects.exists() and not ImportJob.objects.exists()


def test_the_export_leaves_the_column_out():
    assert "attachments" not in EXPORT_COLUMNS_WITH_STATUS
