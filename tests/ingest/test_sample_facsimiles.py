"""`load-samples` gives a few sample documents generated facsimiles, honestly labelled, once."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from PIL import Image

from declassified.archive.models import Attachment, Document, Page
from declassified.ingest.sample_facsimiles import LABEL, facsimile_file, page_texts
from declassified.ingest.samples import SAMPLES_DIR
from declassified.ingest.tabular import parse_file

pytestmark = pytest.mark.django_db


def load_samples() -> str:
    out = io.StringIO()
    call_command("load_samples", stdout=out)
    return out.getvalue().strip()


def sample(source_id: str):
    rows = parse_file(SAMPLES_DIR / "sino-soviet-split.jsonl")
    return next(row.data for row in rows if row.data.source_id == source_id)


def test_four_samples_get_facsimiles_with_pages_shown_at_once():
    load_samples()
    facsimiles = Attachment.objects.filter(title=LABEL).order_by("document_id")
    assert [(a.document_id, a.pages.count()) for a in facsimiles] == [
        (1, 1), (3, 3), (5, 2), (7, 1),
    ]
    three = Document.objects.get(pk=3)
    assert [p.number_in_file for p in three.pages.order_by("position")] == [1, 2, 3]
    page = three.pages.first()
    assert (page.width, page.height) == (850, 1100)
    assert Page.objects.count() == 7


def test_the_label_is_on_every_page_and_the_text_is_the_samples():
    record = sample("samples/sino-soviet-split/03")
    pages = page_texts(record, 3)
    assert len(pages) == 3
    typed = " ".join(line for page in pages for line in page)
    assert "Record of the First Contact" in typed and "Kosygin" in typed
    assert "It is not the document itself" in typed
    name, content = facsimile_file(record, 3)
    assert name == "generated-facsimile-03.tif"
    image = Image.open(io.BytesIO(content))
    assert image.n_frames == 3
    # The label is drawn on every page: the top band differs from blank paper on each.
    for frame in range(3):
        image.seek(frame)
        band = image.crop((60, 24, 790, 57)).convert("L")
        assert band.getextrema()[0] < 100, frame


def test_the_bytes_are_deterministic():
    record = sample("samples/sino-soviet-split/01")
    first = facsimile_file(record, 1)
    assert first == facsimile_file(record, 1)
    assert first[0].endswith(".png")
    load_samples()
    stored = Attachment.objects.get(document_id=1, title=LABEL)
    assert stored.sha256 == hashlib.sha256(first[1]).hexdigest()


def test_a_deleted_facsimile_does_not_come_back(alice):
    from declassified.archive.actions import do_delete_attachment

    load_samples()
    facsimile = Attachment.objects.get(document_id=5, title=LABEL)
    do_delete_attachment(facsimile, acting_user=alice)
    out = load_samples()
    assert out.endswith("facsimiles: 0 attached (0 pages), 4 already loaded")
    assert not Attachment.objects.filter(document_id=5).exists()
    assert not Page.objects.filter(document_id=5).exists()


def test_samples_loaded_before_facsimiles_existed_get_them_once(tmp_path):
    """An archive that loaded the samples before this feature gets the facsimiles at its
    next start, and only then."""
    folder = tmp_path / "samples"
    folder.mkdir()
    for name in ("collections.json", "sino-soviet-split.jsonl"):
        (folder / name).write_bytes((SAMPLES_DIR / name).read_bytes())
    call_command("load_samples", "--dir", str(folder), stdout=io.StringIO())
    assert not Attachment.objects.exists()
    (folder / "facsimiles.json").write_bytes((SAMPLES_DIR / "facsimiles.json").read_bytes())
    out = io.StringIO()
    call_command("load_samples", "--dir", str(folder), stdout=out)
    assert out.getvalue().strip().endswith("facsimiles: 4 attached (7 pages), 0 already loaded")
    assert load_samples().endswith("facsimiles: 0 attached (0 pages), 4 already loaded")


def test_a_malformed_facsimiles_file_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    folder = tmp_path / "samples"
    folder.mkdir()
    (folder / "collections.json").write_text("[]")
    (folder / "facsimiles.json").write_text('[{"source_id": "x"}]')
    with pytest.raises(CommandError, match="facsimiles.json: expected a list of"):
        call_command("load_samples", "--dir", str(folder), stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)  # the OCR job's threads see committed rows
def test_the_facsimiles_pages_are_queued_for_ocr_once_and_read_by_a_worker():
    from declassified.archive.models import PageText
    from declassified.ingest.models import ImportJob

    load_samples()
    job = ImportJob.objects.get(kind=ImportJob.OCR)
    assert job.options == {"force": False, "documents": [1, 3, 5, 7]}
    load_samples()  # nothing new rendered: nothing queued
    assert ImportJob.objects.filter(kind=ImportJob.OCR).count() == 1
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)  # what `declassified serve`'s worker does
    assert f"OCR job #{job.pk} done: 7 page(s) read" in out.getvalue()
    three = PageText.objects.filter(page__document_id=3).order_by("page__position")
    assert len(three) == 3 and all(text.mean_confidence > 50 for text in three)
