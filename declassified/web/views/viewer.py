"""The "Original" tab of a document page: its pages as IIIF images beside one of its texts.

Without JavaScript the pages are plain sized images with links; static/declassified/viewer.js
turns the same markup into an OpenSeadragon deep-zoom viewer (each page's info.json a tile
source). The IIIF routes belong to declassified.originals: only their URLs are used here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from declassified.archive.models import Document, Page, Text
from declassified.web.page_images import iiif_base, thumbnail

ORIGINAL_TAB = "original"
# The plain <img> width without JavaScript: sharp on a laptop, ~150 kB a typewritten page.
FALLBACK_WIDTH = 1000


@dataclass(frozen=True)
class PageImage:
    """One page as the template shows it (URLs of the IIIF Image API for this page)."""

    number: int  # 1-based place in the document
    alt: str
    width: int  # of the fallback <img>
    height: int
    src: str
    info: str
    thumbnail: str
    full_size: str
    download: str


def page_download_url(document_id: int, number: int) -> str:
    return reverse("downloads:page-jpeg", args=[document_id, number])


def viewer_url(document_id: int, page_number: int | None = None, words: str = "") -> str:
    """The document's Original tab opened at a page (1-based), with `words` boxed on it: where
    a search hit found on a scan links to (the viewer runs the document's content search)."""
    query = {"text": ORIGINAL_TAB}
    if page_number is not None:
        query["page"] = str(page_number)
    if words:
        query["q"] = words
    anchor = f"#page-{page_number}" if page_number is not None else ""
    return f"{reverse('web:document', args=[document_id])}?{urlencode(query)}{anchor}"


def pages_pdf_url(document_id: int) -> str:
    return reverse("downloads:document-pdf", args=[document_id])


def ocr_text_url(document_id: int) -> str:
    return reverse("downloads:document-text", args=[document_id])


def manifest_url(document_id: int) -> str:
    return reverse("originals:manifest", args=[document_id])


def page_images(document: Document, pages: list[Page]) -> list[PageImage]:
    """The document's pages in reading order, with the fallback image sized to the page."""
    total = len(pages)
    images = []
    for number, page in enumerate(pages, start=1):
        base = iiif_base(page.pk)
        # IIIF sizes never upscale without "^": a small page is shown at its own width.
        width = min(FALLBACK_WIDTH, page.width)
        height = max(1, round(page.height * width / page.width))
        images.append(PageImage(
            number=number,
            alt=f"Page {number} of {total} of {document.title}",
            width=width,
            height=height,
            src=f"{base}/full/{width},/0/default.jpg",
            info=f"{base}/info.json",
            thumbnail=thumbnail(page).src,
            full_size=f"{base}/full/max/0/default.jpg",
            download=page_download_url(document.pk, number),
        ))
    return images


def default_text(texts: list[Text], document: Document) -> Text | None:
    """The text shown beside the pages when the reader has chosen none.

    A reader of a non-English original (a Russian cable) wants the English translation
    beside it; an English original is read beside its transcript.
    """
    english = next((t for t in texts if t.kind == Text.TRANSLATION and t.language_id == "en"), None)
    original_languages = {t.language_id for t in texts if t.kind == Text.TRANSCRIPT} or {
        language.code for language in document.languages.all()
    }
    if english is not None and original_languages - {"en"}:
        return english
    transcript = next((t for t in texts if t.kind == Text.TRANSCRIPT), None)
    return transcript or english or (texts[0] if texts else None)


def text_beside(request: HttpRequest, texts: list[Text], document: Document) -> Text | None:
    """The text ?beside=<id> names if it is one of this document's, else the default."""
    wanted = request.GET.get("beside", "")
    return next((t for t in texts if str(t.pk) == wanted), None) or default_text(texts, document)
