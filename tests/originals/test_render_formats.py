"""Pages from every kind of original: born-digital PDFs, CMYK, 16-bit, alpha, palette, grey;
bad files fail alone and leave nothing behind; long PDFs are rendered a page at a time."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
import pyvips
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from declassified.archive.models import Page
from declassified.archive.revisions import Revision
from declassified.ingest.jobs import run_worker
from declassified.ingest.models import ImportJob
from declassified.ingest.page_jobs import enqueue_page_rendering
from declassified.originals.masters import local_file
from tests.factories import make_attachment, make_document, scan_bytes


def render(*attachments) -> ImportJob:
    job = enqueue_page_rendering(list(attachments))
    run_worker(only_job=job.pk)
    job.refresh_from_db()
    return job


def master_of(page: Page) -> pyvips.Image:
    with local_file(page.master) as path:
        return pyvips.Image.new_from_file(str(path), access="sequential").copy_memory()


def born_digital_pdf(pages: int = 2) -> bytes:
    """A PDF with real text (fonts, no images), as a word processor writes."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    pdf = pypdfium2.PdfDocument.new()
    font = pdfium_c.FPDFText_LoadStandardFont(pdf, b"Helvetica")
    for number in range(pages):
        page = pdf.new_page(612, 792)  # US Letter, in points
        text = pdfium_c.FPDFPageObj_NewTextObj(pdf, b"Helvetica", 24.0)
        message = f"Memorandum, page {number + 1}\0".encode("utf-16-le")
        pdfium_c.FPDFText_SetText(text, (pdfium_c.FPDF_WCHAR * (len(message) // 2)).from_buffer_copy(
            message))
        pdfium_c.FPDFPageObj_Transform(text, 1, 0, 0, 1, 72, 700)
        pdfium_c.FPDFPage_InsertObject(page.raw, text)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    del font
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_born_digital_pdf_with_text_becomes_pages_with_ink_on_them():
    document = make_document()
    attachment = make_attachment(document, "memo.pdf", born_digital_pdf(2))
    job = render(attachment)
    assert job.state == ImportJob.DONE, job.error
    pages = list(attachment.pages.order_by("number_in_file"))
    assert [(p.width, p.height) for p in pages] == [(2550, 3300)] * 2  # 8.5x11 in at 300 dpi
    image = master_of(pages[0])
    assert image.min() < 100 < image.max()  # dark text on a white page


def pillow_bytes(picture: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    picture.save(out, kind, **options)
    return out.getvalue()


def page_picture(mode: str = "RGB") -> Image.Image:
    picture = Image.new("RGB", (300, 400), (240, 235, 220))
    ImageDraw.Draw(picture).rectangle((50, 50, 250, 120), fill=(10, 10, 10))
    return picture.convert(mode)


def sixteen_bit_png(bands: int) -> bytes:
    """A 16-bit RGB (bands=3) or grey+alpha (bands=2) PNG, written by libvips."""
    grey = (pyvips.Image.black(300, 400) + 60000).insert(pyvips.Image.black(200, 70) + 1000,
                                                         50, 50)
    if bands == 3:
        image = grey.bandjoin([grey, grey]).cast("ushort").copy(interpretation="rgb16")
    else:
        image = grey.bandjoin(65535).cast("ushort").copy(interpretation="grey16")
    return image.pngsave_buffer()


@pytest.mark.django_db
@pytest.mark.parametrize("name, content", [
    ("cmyk.jpg", lambda: pillow_bytes(page_picture("CMYK"), "JPEG")),
    ("grey.jpg", lambda: pillow_bytes(page_picture("L"), "JPEG")),
    ("alpha.png", lambda: pillow_bytes(page_picture("RGBA"), "PNG")),
    ("palette.png", lambda: pillow_bytes(page_picture("P"), "PNG")),
    ("bitonal.png", lambda: pillow_bytes(page_picture("1"), "PNG")),
    ("rgb16.png", lambda: sixteen_bit_png(3)),
    ("grey16-alpha.png", lambda: sixteen_bit_png(2)),
    ("lzw.tif", lambda: pillow_bytes(page_picture("RGB"), "TIFF", compression="tiff_lzw")),
])
def test_every_colour_model_becomes_an_8_bit_page_that_looks_the_same(name, content):
    attachment = make_attachment(make_document(), name, content())
    job = render(attachment)
    assert job.state == ImportJob.DONE, job.error
    page = attachment.pages.get()
    assert (page.width, page.height) == (300, 400)
    image = master_of(page)
    assert image.format == "uchar" and image.bands in (1, 3)
    # The dark box stays dark and the paper stays light, whatever the colour model.
    assert image.crop(100, 70, 50, 30).avg() < 90
    assert image.crop(100, 200, 50, 50).avg() > 180


def tiff_pages(count: int) -> bytes:
    frames = [Image.open(io.BytesIO(scan_bytes(text=f"Page {n}"))) for n in range(count)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    return out.getvalue()


@pytest.mark.django_db
def test_a_multi_page_tiff_becomes_its_pages_in_order():
    attachment = make_attachment(make_document(), "three.tif", tiff_pages(3))
    job = render(attachment)
    assert job.state == ImportJob.DONE, job.error
    assert list(attachment.pages.values_list("number_in_file", flat=True)) == [1, 2, 3]
    assert job.report["files"] == [{"attachment": attachment.pk, "file": attachment.file.name,
                                    "document": attachment.document_id, "status": "rendered",
                                    "pages": 3}]


@pytest.mark.django_db
@pytest.mark.parametrize("name, content, says", [
    ("cut.tif", lambda: tiff_pages(3)[:-4000], "cannot be read"),
    ("cut.png", lambda: pillow_bytes(page_picture(), "PNG")[:-300], "cannot be read"),
    ("cut.pdf", lambda: born_digital_pdf(2)[:300], "cannot be read"),
    ("notes.pdf", lambda: b"Hello, I am not a PDF at all", "not a PDF, TIFF, JPEG or PNG"),
])
def test_a_bad_file_fails_with_a_message_and_leaves_nothing_behind(name, content, says):
    document = make_document()
    attachment = make_attachment(document, name, content())
    sha256, stored = attachment.sha256, attachment.file.name
    revisions = Revision.objects.count()
    job = render(attachment)
    assert job.state == ImportJob.FAILED
    assert says in job.error and "nothing changed" in job.error, job.error
    assert job.report["files"][0]["status"] == "failed"
    assert not Page.objects.exists() and Revision.objects.count() == revisions
    masters = Path(default_storage.path("pages"))
    assert not any(path.is_file() for path in masters.rglob("*"))  # none left behind
    with default_storage.open(stored, "rb") as original:  # the original is untouched
        assert hashlib.sha256(original.read()).hexdigest() == sha256


@pytest.mark.django_db
def test_rendering_twice_writes_no_row_and_no_revision():
    attachment = make_attachment(make_document(), "three.tif", tiff_pages(3))
    assert render(attachment).state == ImportJob.DONE
    pages = list(Page.objects.values_list("pk", "master", "position"))
    revisions = Revision.objects.count()
    assert render(attachment).state == ImportJob.DONE
    assert list(Page.objects.values_list("pk", "master", "position")) == pages
    assert Revision.objects.count() == revisions


def small_pages_pdf(count: int) -> bytes:
    """`count` pages of 2x2.5 inches: 600x750 px each at 300 dpi (1.35 MB of pixels)."""
    frame = Image.open(io.BytesIO(scan_bytes(200, 250, text="p")))
    out = io.BytesIO()
    frame.save(out, "PDF", save_all=True, append_images=[frame] * (count - 1), resolution=100)
    return out.getvalue()


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


@pytest.mark.django_db
def test_a_300_page_pdf_is_rendered_a_page_at_a_time_with_a_heartbeat():
    attachment = make_attachment(make_document(), "long.pdf", small_pages_pdf(300))
    job = enqueue_page_rendering([attachment])
    baseline = resident_mb()
    seen: dict[str, float] = {"peak": baseline, "beats": 0}

    def on_progress(running: ImportJob) -> None:
        seen["peak"] = max(seen["peak"], resident_mb())
        seen["beats"] += 1

    run_worker(only_job=job.pk, on_progress=on_progress)
    job.refresh_from_db()
    assert job.state == ImportJob.DONE, job.error
    assert attachment.pages.count() == 300
    assert seen["beats"] >= 300  # progress (and the heartbeat) saved after every page
    # Holding every page would take 300 x 1.35 MB = 400 MB; a few pages are a few MB.
    assert seen["peak"] - baseline < 80, f"grew by {seen['peak'] - baseline:.0f} MB"


@pytest.mark.django_db
def test_a_huge_pdf_page_is_rendered_at_the_resolution_that_fits(monkeypatch):
    from declassified.originals import sources

    monkeypatch.setattr(sources, "MAX_PDF_PAGE_PIXELS", 4_000_000)
    poster = pillow_bytes(page_picture(), "PDF", resolution=10)  # 30x40 inches: 108 MP at 300 dpi
    attachment = make_attachment(make_document(), "poster.pdf", poster)
    assert render(attachment).state == ImportJob.DONE
    page = attachment.pages.get()
    assert page.width * page.height <= 4_000_000 and abs(page.width / page.height - 0.75) < 0.01


@pytest.mark.django_db
def test_only_files_that_have_pages_are_queued_after_an_upload():
    from declassified.ingest.page_jobs import enqueue_pages_of_new_files

    document = make_document()
    text = make_attachment(document, "notes.txt", b"A finding aid, not a scan")
    assert enqueue_pages_of_new_files([text]) is None
    scan = make_attachment(document, "scan.jpg", scan_bytes())
    job = enqueue_pages_of_new_files([text, scan])
    assert job is not None and job.options == {"attachments": [scan.pk]}


@pytest.mark.django_db
def test_a_job_resumed_after_its_worker_died_skips_the_files_already_rendered():
    document = make_document()
    first = make_attachment(document, "one.jpg", scan_bytes(text="one"))
    second = make_attachment(document, "two.jpg", scan_bytes(text="two"))
    job = enqueue_page_rendering([first, second])
    # As a worker that died after the first file leaves it, once requeued as stale.
    job.report = {"files": [{"attachment": first.pk, "file": first.file.name,
                             "document": document.pk, "status": "rendered", "pages": 1}]}
    job.save()
    run_worker(only_job=job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.DONE
    assert [f["attachment"] for f in job.report["files"]] == [first.pk, second.pk]
    assert not first.pages.exists() and second.pages.count() == 1  # the first was not redone


@pytest.mark.django_db
def test_the_back_office_shows_a_failed_pages_job_and_can_run_it_again(alice_client):
    attachment = make_attachment(make_document(), "cut.jpg", scan_bytes()[:1500])
    job = render(attachment)
    assert job.state == ImportJob.FAILED
    page = alice_client.get(f"/admin/ingest/importjob/{job.pk}/change/").content.decode()
    assert "cut.jpg" in page and "nothing changed" in page
    alice_client.post("/admin/ingest/importjob/", {
        "action": "run_again", "_selected_action": [job.pk]}, follow=True)
    job.refresh_from_db()
    assert job.state == ImportJob.QUEUED  # its file is still there: it can be tried again


@pytest.mark.django_db
def test_a_pdf_page_turned_by_its_rotate_entry_is_rendered_turned():
    import pypdfium2

    pdf = pypdfium2.PdfDocument(pillow_bytes(page_picture(), "PDF", resolution=100))
    pdf[0].set_rotation(90)  # a landscape scan stored upright, as scanners often write it
    out = io.BytesIO()
    pdf.save(out)
    attachment = make_attachment(make_document(), "turned.pdf", out.getvalue())
    assert render(attachment).state == ImportJob.DONE
    page = attachment.pages.get()
    assert (page.width, page.height) == (1200, 900)  # 3x4 inches turned, at 300 dpi
