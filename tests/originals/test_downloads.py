"""Downloads of a document's pages: the whole document as one PDF (made once, then kept),
one page as a JPEG of a chosen width; hidden documents are 404s; bad widths say why."""

from __future__ import annotations

import pypdfium2
import pytest
import pyvips
from django.test import Client

from declassified.archive.models import Document
from declassified.archive.pages import do_reorder_pages
from tests.factories import make_document
from tests.originals.page_fixtures import add_pages, rendered_page

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    """The whole body. Reading a test client's file response to its end closes the file; a
    second close() here would end the request again and, in a test's transaction, close the
    database connection (PostgreSQL)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_page_texts_sizes(data: bytes) -> list[tuple[float, float]]:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return [tuple(round(side) for side in pdf[n].get_size()) for n in range(len(pdf))]
    finally:
        pdf.close()


def test_the_whole_document_is_one_pdf_of_its_pages_in_order(settings):
    document = make_document(title="Record of conversation")
    tall = rendered_page(document, width=600, height=800, text="tall")
    wide = rendered_page(document, width=800, height=500, text="wide")
    do_reorder_pages(document, [wide.pk, tall.pk], acting_user=None, via="test")

    response = Client().get(f"/document/{document.pk}/pages.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="record-of-conversation.pdf"')
    # Longest side 11 inches (792 pt), the other in proportion: wide first, as reordered.
    assert pdf_page_texts_sizes(body(response)) == [(792, 495), (594, 792)]


def test_a_second_download_reads_the_kept_file_and_a_new_order_makes_a_new_one(settings):
    document = make_document()
    first = rendered_page(document, text="one")
    second = rendered_page(document, text="two")
    path = f"/document/{document.pk}/pages.pdf"

    body(Client().get(path))
    kept = list(settings.DOCUMENT_PDF_DIR.rglob("*.pdf"))
    modified = kept[0].stat().st_mtime_ns
    body(Client().get(path))
    assert list(settings.DOCUMENT_PDF_DIR.rglob("*.pdf")) == kept
    assert kept[0].stat().st_mtime_ns == modified

    do_reorder_pages(document, [second.pk, first.pk], acting_user=None, via="test")
    body(Client().get(path))
    assert len(list(settings.DOCUMENT_PDF_DIR.rglob("*.pdf"))) == 2


def test_a_page_is_a_jpeg_of_the_chosen_width_named_after_the_document():
    document = make_document(title="Memorandum")
    rendered_page(document, width=600, height=800)

    response = Client().get(f"/document/{document.pk}/page/1.jpg?width=300")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="memorandum-page-1.jpg"'
    picture = pyvips.Image.new_from_buffer(response.content, "")
    assert (picture.width, picture.height) == (300, 400)


def test_a_page_is_numbered_in_the_documents_order_and_never_enlarged():
    document = make_document()
    first = rendered_page(document, width=600, height=800)
    (second,) = add_pages(document, 1, like=rendered_page(make_document(), width=400,
                                                          height=500))
    do_reorder_pages(document, [second.pk, first.pk], acting_user=None, via="test")

    response = Client().get(f"/document/{document.pk}/page/1.jpg?width=4000")

    picture = pyvips.Image.new_from_buffer(response.content, "")
    assert (picture.width, picture.height) == (400, 500)


@pytest.mark.parametrize("width", ["99", "4001", "abc", "-5", "1e3", "１２００", "300px", "0"])
def test_a_bad_width_is_a_400_that_says_what_to_send(width):
    document = make_document()
    rendered_page(document)

    response = Client().get(f"/document/{document.pk}/page/1.jpg", {"width": width})

    assert response.status_code == 400
    assert b"width must be a whole number of pixels from 100 to 4000" in response.content


@pytest.mark.parametrize("path", ["/document/{pk}/page/2.jpg", "/document/{pk}/page/0.jpg",
                                  "/document/424242/page/1.jpg", "/document/424242/pages.pdf",
                                  "/document/{bare}/pages.pdf", "/document/{bare}/page/1.jpg"])
def test_a_missing_page_or_document_is_a_404(path):
    document = make_document()
    rendered_page(document)
    bare = make_document(title="No pages")

    response = Client().get(path.format(pk=document.pk, bare=bare.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("status", [Document.DRAFT, Document.WITHDRAWN])
def test_a_hidden_documents_downloads_are_404_to_the_public_and_private_to_editors(
        status, charlie, alice):
    document = make_document(status=status, title="Secret draft")
    rendered_page(document)
    stranger, editor = Client(), Client()
    stranger.force_login(charlie)
    editor.force_login(alice)

    for path in (f"/document/{document.pk}/pages.pdf", f"/document/{document.pk}/page/1.jpg"):
        assert Client().get(path).status_code == 404, path
        assert stranger.get(path).status_code == 404, path
        response = editor.get(path)
        body(response)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store"


def test_downloads_cost_two_queries(django_assert_max_num_queries):
    document = make_document()
    add_pages(document, 5, like=rendered_page(document))

    for path in (f"/document/{document.pk}/pages.pdf", f"/document/{document.pk}/page/3.jpg"):
        with django_assert_max_num_queries(2):
            body(Client().get(path))


def test_a_client_that_has_the_file_gets_a_304(settings):
    document = make_document()
    rendered_page(document)

    for path in (f"/document/{document.pk}/pages.pdf", f"/document/{document.pk}/page/1.jpg"):
        first = Client().get(path)
        body(first)
        again = Client().get(path, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304, path
        assert again["Cache-Control"] == "public, max-age=300"
    other = Client().get(f"/document/{document.pk}/page/1.jpg?width=200",
                         headers={"If-None-Match": first["ETag"]})
    assert other.status_code == 200  # another width is another picture
