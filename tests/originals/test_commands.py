"""The command line of originals: attach, attach-scans, verify-files, import-scan-truth."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from declassified.archive.models import Attachment, Document, Page
from declassified.archive.revisions import Revision
from declassified.ingest.models import ImportJob
from tests.factories import make_document, scan_bytes
from tests.originals.conftest import SCANS


def run(command: str, *args, **options) -> str:
    """The command's output; attach commands render in this process (the test's database) and
    leave their pages' OCR job queued (tests/ingest/test_ocr_command.py follows it)."""
    out = StringIO()
    if command.startswith("attach"):
        options["foreground"] = True
        options.setdefault("no_ocr", True)
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def scans(tmp_path) -> Path:
    """A folder with page images of three kinds and a manifest to fill in."""
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "a-p1.jpg").write_bytes(scan_bytes(text="A, page 1"))
    (folder / "a-p2.jpg").write_bytes(scan_bytes(text="A, page 2"))
    (folder / "b.png").write_bytes(scan_bytes(text="B", kind="PNG"))
    (folder / "broken.jpg").write_bytes(scan_bytes()[:1500])
    (folder / "notes.txt").write_text("not an image")
    return folder


def write_manifest(folder: Path, lines: list[str]) -> Path:
    manifest = folder / "manifest.csv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


# --- attach ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_attach_adds_files_in_order_and_renders_their_pages(scans):
    document = make_document()
    out = run("attach", str(scans / "a-p2.jpg"), str(scans / "a-p1.jpg"), document=document.pk)
    assert "2 file(s) attached" in out and "2 page(s)" in out
    assert [p.attachment.title for p in document.pages.order_by("position")] == [
        "a-p2.jpg", "a-p1.jpg"]
    assert ImportJob.objects.get(kind=ImportJob.PAGES).state == ImportJob.DONE
    assert "OCR job" in out and "is queued" in out  # --no-ocr: left for a worker


@pytest.mark.django_db
def test_attach_twice_attaches_nothing_twice(scans):
    document = make_document()
    run("attach", str(scans / "b.png"), document=document.pk)
    revisions = Revision.objects.count()
    out = run("attach", str(scans / "b.png"), document=document.pk)
    assert "0 file(s) attached" in out and "1 already attached" in out
    assert document.attachments.count() == 1 and document.pages.count() == 1
    assert Revision.objects.count() == revisions


@pytest.mark.django_db
def test_attach_refuses_bad_files_and_unknown_documents_and_changes_nothing(scans):
    document = make_document()
    with pytest.raises(CommandError) as failed:
        run("attach", str(scans / "b.png"), str(scans / "notes.txt"), str(scans / "gone.pdf"),
            document=document.pk)
    message = str(failed.value)
    assert "nothing was attached" in message
    assert "notes.txt is not a PDF, TIFF, JPEG or PNG" in message and "gone.pdf" in message
    with pytest.raises(CommandError, match="no document with record ID 999999"):
        run("attach", str(scans / "b.png"), document=999999)
    assert not Attachment.objects.exists() and not ImportJob.objects.exists()


@pytest.mark.django_db
def test_attach_exits_non_zero_when_rendering_fails(scans):
    document = make_document()
    # broken.jpg has a readable header (so it passes the check) but its data is cut off.
    with pytest.raises(CommandError, match=r"failed:\n.*broken.*nothing changed"):
        run("attach", str(scans / "broken.jpg"), document=document.pk)
    assert not Page.objects.exists()
    assert ImportJob.objects.get(kind=ImportJob.PAGES).state == ImportJob.FAILED


# --- attach-scans ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_attach_scans_attaches_every_row_then_renders_in_one_job(scans):
    a = make_document(source_id="frus1964-68v30/d1")
    b = make_document()
    manifest = write_manifest(scans, [
        "file,source_id,document,pages,level",
        "a-p1.jpg,frus1964-68v30/d1,,1,clean",
        "a-p2.jpg,frus1964-68v30/d1,,1,clean",
        f"b.png,,{b.pk},1,heavy",
    ])
    out = run("attach_scans", str(manifest))
    assert "3 file(s) for 2 document(s): 3 attached (3 page(s)), 0 already attached" in out
    assert ImportJob.objects.filter(kind=ImportJob.PAGES).count() == 1
    assert ImportJob.objects.get(kind=ImportJob.OCR).state == ImportJob.QUEUED
    assert [p.attachment.title for p in a.pages.order_by("position")] == ["a-p1.jpg", "a-p2.jpg"]
    assert b.pages.count() == 1

    again = run("attach_scans", str(manifest))
    assert "0 attached" in again and "3 already attached" in again and "nothing to render" in again
    assert Attachment.objects.count() == 3 and Page.objects.count() == 3


@pytest.mark.django_db
def test_attach_scans_reports_every_bad_row_and_changes_nothing(scans):
    make_document(source_id="frus1964-68v30/d1")
    manifest = write_manifest(scans, [
        "file,source_id,document",
        "a-p1.jpg,frus1964-68v30/d1,",         # row 2: fine
        "missing.pdf,frus1964-68v30/d1,",      # row 3: no such file
        "notes.txt,frus1964-68v30/d1,",        # row 4: not an image
        "b.png,frus1969-76v03/d68,",           # row 5: volume not imported
        "b.png,invented/ru/r01,",              # row 6: invented document not created
        "b.png,,12x",                          # row 7: not a record ID
        "b.png,,",                             # row 8: no document at all
        ",frus1964-68v30/d1,",                 # row 9: no file
    ])
    with pytest.raises(CommandError) as failed:
        run("attach_scans", str(manifest))
    lines = str(failed.value).splitlines()
    assert lines[0] == "manifest.csv: 7 problems; nothing was attached."
    assert lines[1].startswith("row 3: no such file")
    assert lines[2].startswith("row 4: notes.txt is not a PDF, TIFF, JPEG or PNG")
    assert lines[3].startswith("row 5: no document with source_id frus1969-76v03/d68; "
                               "import frus1969-76v03 first")
    assert "row 6:" in lines[4] and "import-scan-truth" in lines[4]
    assert lines[5] == "row 7: document '12x' is not a record ID (a whole number)"
    assert lines[6] == "row 8: neither `source_id` nor `document` is given"
    assert lines[7] == "row 9: the `file` cell is empty"
    assert not Attachment.objects.exists() and not ImportJob.objects.exists()
    assert not default_storage.exists("attachments")


@pytest.mark.django_db
def test_attach_scans_needs_a_manifest_with_the_right_columns(scans):
    with pytest.raises(CommandError, match="needs a header row with a `file` column"):
        run("attach_scans", str(write_manifest(scans, ["name,id", "a.jpg,1"])))
    with pytest.raises(CommandError, match="no such file"):
        run("attach_scans", str(scans / "nothing.csv"))


# --- verify-files ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_files_passes_and_then_names_a_changed_original_and_a_missing_master(scans):
    document = make_document()
    run("attach", str(scans / "a-p1.jpg"), str(scans / "b.png"), document=document.pk)
    assert "Checked 2 original file(s) and 2 page master(s)" in run("verify_files")
    assert run("verify_files", quiet=True) == ""

    original = document.attachments.get(title="a-p1.jpg").file.path
    data = bytearray(Path(original).read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of rot
    Path(original).write_bytes(bytes(data))
    master = document.pages.get(attachment__title="b.png").master
    default_storage.delete(master)

    out = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("verify_files", stdout=out)
    report = out.getvalue()
    assert f"CHANGED original {document.attachments.get(title='a-p1.jpg').file.name}" in report
    assert f"MISSING page master {master}" in report


# --- import-scan-truth and the scan corpus -----------------------------------------------------


@pytest.mark.corpus
@pytest.mark.django_db
def test_invented_documents_have_their_original_text_and_english_translation(
        invented_documents):
    assert len(invented_documents) == 12
    r07 = next(d for d in invented_documents if d.source_id == "invented/ru/r07")
    assert r07.title.startswith("Record of conversation of P. E. Morozov")
    assert r07.date == "1965-07-06" and r07.status == Document.PUBLISHED
    assert "Original title: ЗАПИСЬ БЕСЕДЫ" in r07.summary and "not a historical record" in r07.summary
    texts = {(t.kind, t.language.code): t.body for t in r07.texts.all()}
    assert set(texts) == {("transcript", "ru"), ("translation", "en")}
    assert "<p>Москва, 6 июля 1965 года</p>" in texts[("transcript", "ru")]
    assert "<p>Moscow, July 6, 1965</p>" in texts[("translation", "en")]
    assert [lang.code for lang in r07.languages.all()] == ["ru"]
    revisions = Revision.objects.count()
    assert "0 created, 0 updated, 12 unchanged" in run("import_scan_truth", str(SCANS))
    assert Revision.objects.count() == revisions


@pytest.mark.django_db
def test_import_scan_truth_reports_a_broken_truth_file_and_imports_nothing(tmp_path):
    good = tmp_path / "good.truth.json"
    good.write_text('{"source_id": "invented/ru/x", "title": "Запись", "language": "ru", '
                    '"date": "1965-13-45", "paragraphs": ["Текст"], "translation": ["Text"]}')
    bad = tmp_path / "bad.truth.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError) as failed:
        run("import_scan_truth", str(good), str(bad))
    message = str(failed.value)
    assert "nothing was imported" in message
    assert "row 1, field date: good.truth.json:" in message and "bad.truth.json: not a truth file" in message
    assert not Document.objects.exists()


@pytest.mark.corpus
@pytest.mark.django_db
def test_attach_scans_gives_russian_and_chinese_documents_their_scanned_pages(
        invented_documents, tmp_path):
    """Part of the real manifest (a PDF, a CCITT G4 TIFF, another PDF), copied with its files."""
    wanted = ("invented-ru-r01.tif", "invented-ru-r07.pdf", "invented-zh-z03.tif")
    lines = [line for line in (SCANS / "manifest.csv").read_text().splitlines()
             if line.startswith("file,") or line.startswith(wanted)]
    for name in wanted:
        shutil.copy(SCANS / name, tmp_path / name)
    out = run("attach_scans", str(write_manifest(tmp_path, lines)))
    assert "3 file(s) for 3 document(s): 3 attached (3 page(s))" in out
    pages = Page.objects.select_related("document").order_by("document__source_id")
    assert [(p.document.source_id, p.width > 1000) for p in pages] == [
        ("invented/ru/r01", True), ("invented/ru/r07", True), ("invented/zh/z03", True)]
