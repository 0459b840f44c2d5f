"""The "Original" tab of a document page: its pages as IIIF images beside one of its texts.

Without JavaScript the pages are plain sized images with links; static/declassified/viewer.js
turns the same markup into an OpenSeadragon deep-zoom viewer (each page's info.json a tile
source). The IIIF routes belong to declassified.originals: only their URLs are used here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

from declassified.archive.machine_transcripts import OCR_KEY
from declassified.archive.models import Document, Page, Text
from declassified.originals import content_search
from declassified.web.page_images import iiif_base, thumbnail

ORIGINAL_TAB = "original"
# The plain <img> width without JavaScript: sharp on a laptop, ~150 kB a typewritten page.
FALLBACK_WIDTH = 1000
# Hits listed (and boxed) without JavaScript; the count says how many more there are.
LISTED_HITS = 100


@dataclass(frozen=True)
class HitBox:
    """A hit's box on a page image, in percentages of the page (so it fits any image size)."""

    left: str
    top: str
    width: str
    height: str


def percent(part: float, whole: int) -> str:
    return f"{100 * part / max(1, whole):.3f}"


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
    page_id: int = 0
    hit_boxes: tuple[HitBox, ...] = ()


@dataclass(frozen=True)
class InsideHit:
    """One hit of the search inside the document, as the hits list shows it."""

    number: int  # the page, 1-based
    prefix: str
    exact: str
    suffix: str
    url: str


@dataclass(frozen=True)
class InsideSearch:
    """The search box's answer, rendered by the server (the page works without JavaScript)."""

    query: str
    total: int = 0
    pages: int = 0
    hits: list[InsideHit] = field(default_factory=list)
    boxes: dict[int, tuple[HitBox, ...]] = field(default_factory=dict)  # by page number
    problem: str = ""

    @property
    def summary(self) -> str:
        hits = f"{self.total} hit{'' if self.total == 1 else 's'}"
        if not self.total:
            return f"No hits for “{self.query}” in this document’s pages."
        return f"{hits} on {self.pages} page{'' if self.pages == 1 else 's'}"


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
            page_id=page.pk,
        ))
    return images


def search_inside(document: Document, pages: list[Page], query: str) -> InsideSearch | None:
    """The document's content search for ?q= (None without one): the first LISTED_HITS hits
    with snippets and their boxes on the pages (one query, two when a page was read since)."""
    query = content_search.cleaned_query(query)
    if not query:
        return None
    if len(query) > content_search.MAX_QUERY_CHARS:
        return InsideSearch(query[:content_search.MAX_QUERY_CHARS], problem=(
            f"That search is too long: at most {content_search.MAX_QUERY_CHARS} characters."))
    found = content_search.search_document(document.pk, query)
    located = content_search.located_hits(found.hits[:LISTED_HITS])
    by_id = {page.pk: page for page in pages}
    boxes: dict[int, list[HitBox]] = {}
    hits = []
    for hit in located:
        page = by_id.get(hit.page_id)
        if page is None:
            continue
        boxes.setdefault(hit.number, []).extend(
            HitBox(percent(b.x, page.width), percent(b.y, page.height),
                   percent(b.w, page.width), percent(b.h, page.height)) for b in hit.boxes)
        hits.append(InsideHit(hit.number, hit.prefix, hit.exact, hit.suffix,
                              viewer_url(document.pk, hit.number, query)))
    return InsideSearch(query, len(found.hits), found.pages, hits,
                        {number: tuple(found_boxes) for number, found_boxes in boxes.items()})


def with_hit_boxes(images: list[PageImage], inside: InsideSearch | None) -> list[PageImage]:
    if inside is None or not inside.boxes:
        return images
    return [replace(image, hit_boxes=inside.boxes.get(image.number, ())) for image in images]


def search2_url(document_id: int) -> str:
    return reverse("originals:search2", args=[document_id])


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


def reader_language() -> str:
    """The reader's language as the archive codes languages ("en" for the site's "en-us")."""
    return (get_language() or "en").split("-", 1)[0].lower()


def prefers_machine_transcript(texts: list[Text]) -> bool:
    """Whether the machine transcript, rather than a text, goes beside the pages by default.

    A text in the reader's language (an English translation of a Russian cable, an English
    transcript) is read first; so is a human transcript in any language, which says what the
    OCR says, only without its errors. The machine transcript is the default otherwise: an
    English scan with no transcript, or a Russian one with only a French translation.
    """
    reader = reader_language()
    has_own_language = any(t.language_id.split("-", 1)[0].lower() == reader for t in texts)
    has_transcript = any(t.kind == Text.TRANSCRIPT for t in texts)
    return not (has_own_language or has_transcript)


def machine_transcript_beside(request: HttpRequest, texts: list[Text], *,
                              has_machine_transcript: bool) -> bool:
    """True when the machine transcript is shown beside the pages: ?beside=ocr, or by default
    (prefers_machine_transcript) when ?beside= names none of the document's texts."""
    if not has_machine_transcript:
        return False
    wanted = request.GET.get("beside", "")
    if wanted == OCR_KEY:
        return True
    if any(str(t.pk) == wanted for t in texts):
        return False
    return prefers_machine_transcript(texts)
