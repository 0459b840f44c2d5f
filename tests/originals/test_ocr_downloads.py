"""A page's OCR as files: ALTO v4 with every word in its stored box, the page's text (an
editor's correction where there is one), the whole document's text; all declared in the
manifest, all 404s for a page OCR has not read and for a document the reader may not see."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import etree

from declassified.archive.models import Document, PageText
from declassified.archive.page_texts import do_correct_page_text
from declassified.originals.manifests import validated
from declassified.originals.ocr_files import ALTO_NAMESPACE
from tests.factories import make_document, make_document_with_typed_pages
from tests.originals.page_fixtures import rendered_page

pytestmark = pytest.mark.django_db
A = f"{{{ALTO_NAMESPACE}}}"


@pytest.fixture
def two_read_pages() -> Document:
    return make_document_with_typed_pages(
        [["Memorandum of conversation", "Kosygin met Zhou Enlai in Hanoi"],
         ["Peking, March 5, 1965", "Secret"]], title="Kosygin in Hanoi")


def alto_of(document: Document, number: int, client: Client | None = None):
    response = (client or Client()).get(f"/document/{document.pk}/page/{number}.alto.xml")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return etree.fromstring(response.content)


def test_a_read_page_is_alto_v4_with_every_word_in_its_stored_box(two_read_pages):
    reading = PageText.objects.get(page__document=two_read_pages, page__position=0)
    page = reading.page

    alto = alto_of(two_read_pages, 1)

    assert alto.tag == f"{A}alto"
    assert alto.findtext(f"{A}Description/{A}MeasurementUnit") == "pixel"
    assert alto.findtext(f".//{A}fileName") == (
        f"http://testserver/iiif/3/{page.pk}/full/max/0/default.jpg")
    assert alto.findtext(f".//{A}softwareName") == "tesseract"
    alto_page = alto.find(f"{A}Layout/{A}Page")
    assert (alto_page.get("WIDTH"), alto_page.get("HEIGHT")) == (str(page.width),
                                                                 str(page.height))
    strings = alto.findall(f".//{A}String")
    assert [(s.get("CONTENT"), int(s.get("HPOS")), int(s.get("VPOS")), int(s.get("WIDTH")),
             int(s.get("HEIGHT"))) for s in strings] == [
        (word[0], word[1], word[2], word[3], word[4]) for word in reading.words]
    assert all(0 <= float(s.get("WC")) <= 1 for s in strings)
    assert "Kosygin" in [s.get("CONTENT") for s in strings]
    lines = alto.findall(f".//{A}TextLine")
    assert len(lines) == 2
    # Words of a line are parted by SP elements: one fewer than the words.
    assert all(len(line.findall(f"{A}SP")) == len(line.findall(f"{A}String")) - 1
               for line in lines)


def test_a_page_text_is_the_correction_where_there_is_one(two_read_pages, alice):
    second = PageText.objects.get(page__document=two_read_pages, page__position=1)
    do_correct_page_text(second, "Peking, March 5, 1965\nTop secret", acting_user=alice)

    first = Client().get(f"/document/{two_read_pages.pk}/page/1.txt")
    corrected = Client().get(f"/document/{two_read_pages.pk}/page/2.txt")
    whole = Client().get(f"/document/{two_read_pages.pk}/ocr.txt")

    assert first["Content-Type"] == "text/plain; charset=utf-8"
    assert "Kosygin met Zhou Enlai" in first.content.decode()
    assert corrected.content.decode() == "Peking, March 5, 1965\nTop secret\n"
    text = whole.content.decode()
    assert text.startswith("--- p. 1 ---\nMemorandum of conversation")
    assert "\n--- p. 2 ---\nPeking, March 5, 1965\nTop secret\n" in text


def test_words_in_russian_and_chinese_come_out_as_they_were_read():
    document = make_document()
    page = rendered_page(document)
    from declassified.archive.page_texts import PageReadingValues, do_record_page_reading
    words = [["Совершенно", 40, 50, 200, 30, 91.5, 1, 1], ["секретно", 250, 50, 160, 30, 88, 1, 1],
             ["中华人民共和国", 40, 120, 300, 40, 77, 2, 1]]
    do_record_page_reading(page, PageReadingValues(
        text="Совершенно секретно\n中华人民共和国", words=words, mean_confidence=85,
        languages="rus+chi_sim", engine="tesseract 5.3.0; plain-1"), via="test")

    alto = alto_of(document, 1)
    text = Client().get(f"/document/{document.pk}/page/1.txt").content.decode("utf-8")

    assert [s.get("CONTENT") for s in alto.iter(f"{A}String")] == [
        "Совершенно", "секретно", "中华人民共和国"]
    assert [s.get("WC") for s in alto.iter(f"{A}String")] == ["0.92", "0.88", "0.77"]
    assert text == "Совершенно секретно\n中华人民共和国\n"


@pytest.mark.parametrize("path", ["page/1.alto.xml", "page/1.txt", "ocr.txt",
                                  "page/3.alto.xml", "page/0.txt", "page/99999999.txt"])
def test_a_page_ocr_has_not_read_is_a_404_that_says_so(path):
    document = make_document()
    rendered_page(document)

    response = Client().get(f"/document/{document.pk}/{path}")

    assert response.status_code == 404
    if path.startswith(("page/1.", "ocr")):  # the page is there: say what is missing
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert b"OCR has" in response.content and b"(yet)" in response.content


@pytest.mark.parametrize("status", [Document.DRAFT, Document.WITHDRAWN])
def test_a_hidden_documents_ocr_is_404_to_the_public_and_private_to_editors(
        two_read_pages, status, alice, charlie):
    Document.objects.filter(pk=two_read_pages.pk).update(status=status)
    stranger, editor = Client(), Client()
    stranger.force_login(charlie)
    editor.force_login(alice)

    for tail in ("page/1.alto.xml", "page/2.txt", "ocr.txt"):
        path = f"/document/{two_read_pages.pk}/{tail}"
        assert Client().get(path).status_code == 404, path
        assert stranger.get(path).status_code == 404, path
        response = editor.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store"


def test_ocr_files_cost_two_queries_and_a_client_that_has_them_gets_a_304(
        two_read_pages, django_assert_max_num_queries):
    for tail in ("page/1.alto.xml", "page/2.txt", "ocr.txt"):
        path = f"/document/{two_read_pages.pk}/{tail}"
        with django_assert_max_num_queries(2):
            first = Client().get(path)
        again = Client().get(path, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304, path
        assert again["Cache-Control"] == "public, max-age=300"


def test_the_manifest_links_each_read_pages_alto_and_the_whole_text(two_read_pages):
    unread = make_document_with_typed_pages([["Unread"]], read=False)

    manifest = validated(Client().get(
        f"/iiif/3/document/{two_read_pages.pk}/manifest.json").json())
    bare = validated(Client().get(f"/iiif/3/document/{unread.pk}/manifest.json").json())

    root = f"http://testserver/document/{two_read_pages.pk}"
    assert [canvas["seeAlso"] for canvas in manifest["items"]] == [[{
        "id": f"{root}/page/{number}.alto.xml", "type": "Text", "format": "application/xml",
        "profile": "http://www.loc.gov/standards/alto/",
        "label": {"en": ["OCR text with word positions (ALTO XML)"]}}] for number in (1, 2)]
    assert manifest["rendering"][-1] == {
        "id": f"{root}/ocr.txt", "type": "Text", "format": "text/plain",
        "label": {"en": ["OCR text of every page (plain text)"]}}
    assert "seeAlso" not in bare["items"][0]
    assert [r["format"] for r in bare["rendering"]] == ["application/pdf"]
