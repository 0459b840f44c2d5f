"""Document pages, their original files, and links by source identifier."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from declassified.archive import queries
from declassified.archive.editions import (
    document_edition,
    edition_chapter,
    edition_full_title,
    edition_short_title,
    participant_lines,
)
from declassified.archive.machine_transcripts import (
    LABEL as OCR_LABEL,
)
from declassified.archive.machine_transcripts import (
    OCR_KEY,
    MachineTranscript,
    has_machine_transcript,
    machine_transcript,
)
from declassified.archive.models import Collection, Document, Page, Text
from declassified.web.views import viewer
from declassified.web.views.common import (
    positive_int,
    redirect_to_current_slug,
    slugged_path,
)

FRUS_ID = re.compile(r"^frus[0-9A-Za-z-]+/d[0-9]+$")
FRUS_BASE = "https://history.state.gov/historicaldocuments/"
FILES_TAB = "files"


@dataclass(frozen=True)
class Tab:
    """One tab of the texts panel; without JavaScript each tab is a link (?text=<key>)."""

    key: str
    label: str
    text: Text | None
    query: str


def sorted_texts(document: Document) -> list[Text]:
    """Translations first, then transcripts."""
    return sorted(document.texts.all(), key=lambda t: (t.kind != Text.TRANSLATION, t.position))


def text_tabs(request: HttpRequest, document: Document, has_pages: bool = False,
              has_transcript: bool = False) -> list[Tab]:
    """The original's pages (when there are any), translations, transcripts, the machine
    transcript (when OCR has read a page), then the original files (when there are any)."""
    texts = sorted_texts(document)
    keep = {k: request.GET[k] for k in ("collection",) if request.GET.get(k)}
    original = Tab(viewer.ORIGINAL_TAB, "Original", None,
                   urlencode({**keep, "text": viewer.ORIGINAL_TAB}))
    tabs = [original] if has_pages else []
    tabs += [
        Tab(str(t.pk), f"{t.language.name} {t.get_kind_display().lower()}", t,
            urlencode({**keep, "text": str(t.pk)}))
        for t in texts
    ]
    if has_transcript:
        tabs.append(Tab(OCR_KEY, OCR_LABEL, None, urlencode({**keep, "text": OCR_KEY})))
    if document.attachments.all():
        tabs.append(Tab(FILES_TAB, "Original files", None, urlencode({**keep, "text": FILES_TAB})))
    return tabs


def active_tab(request: HttpRequest, tabs: list[Tab]) -> Tab | None:
    """The tab ?text= names, or the first one when it names none of them."""
    wanted = request.GET.get("text")
    return next((tab for tab in tabs if tab.key == wanted), tabs[0] if tabs else None)


def context_collection(request: HttpRequest, document: Document) -> Collection | None:
    """The collection to page through: ?collection=<id> if the document is in it, else its first."""
    collections = list(document.collections.all())
    wanted = positive_int(request.GET.get("collection"))
    return next((c for c in collections if c.pk == wanted), collections[0] if collections else None)


@require_safe
def document_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    """A document with its texts, pages, machine transcript, tags, information and
    neighbours (fifteen queries, sixteen with pages; an edition's neighbours by number
    cost the same two)."""
    document = queries.document_for_page(pk, request.user, editions=True)
    if document is None:
        raise Http404("No such document.")
    redirect = redirect_to_current_slug(request, document, "document", slug)
    if redirect:
        return redirect
    pages = list(document.pages.all())  # prefetched by document_for_page, in reading order
    if shows_page_texts(request, document):
        transcript = machine_transcript(pages)
        has_transcript = transcript is not None
    else:
        transcript, has_transcript = None, has_machine_transcript(pages)
    tabs = text_tabs(request, document, has_pages=bool(pages), has_transcript=has_transcript)
    active = active_tab(request, tabs)
    reading_original = active is not None and active.key == viewer.ORIGINAL_TAB
    reading_transcript = active is not None and active.key == OCR_KEY
    edition = document_edition(document)
    collection, neighbours, by_number = page_neighbours(request, document, edition)
    return render(request, "web/document_detail.html", {
        "document": document,
        "tabs": tabs,
        "active": active,
        **(original_context(request, document, pages, transcript) if reading_original else {}),
        **(transcript_context(document, transcript) if reading_transcript else {}),
        "reading_original": reading_original,
        "reading_transcript": reading_transcript,
        "collection": collection,
        "neighbours": neighbours,
        "by_number": by_number,
        "participants": participant_lines(document.participants),
        **(edition_context(document, edition) if edition else {}),
        "show_status": document.status != Document.PUBLISHED,
        "canonical": request.build_absolute_uri(slugged_path(document, "document")),
    })


def page_neighbours(request: HttpRequest, document: Document, edition: Collection | None
                    ) -> tuple[Collection | None, queries.Neighbours | None, bool]:
    """(collection paged through, its neighbours, whether by number): an edition's document
    with a number is read in the order of the numbers (unless ?collection= names another
    collection); any other in the date order of its context collection (two queries)."""
    collection = context_collection(request, document)
    if edition is not None and document.number and (
            collection is None or collection.pk == edition.pk or "collection" not in request.GET):
        return edition, queries.neighbours_by_number(document, edition, request.user), True
    if collection is None:
        return None, None, False
    return collection, queries.neighbours_in_collection(document, collection, request.user), False


def edition_context(document: Document, edition: Collection) -> dict:
    """How the page names the edition a document is published in (no query: the
    collections are prefetched): its volume, the chapter and the short form for <title>."""
    return {
        "edition": edition,
        "edition_title": edition_full_title(edition),
        "edition_short": edition_short_title(edition.series_title, edition.volume_number,
                                             edition.volume_title, edition.title),
        "edition_chapter": edition_chapter(document, edition),
    }


def shows_page_texts(request: HttpRequest, document: Document) -> bool:
    """Whether the tab asked for may show the machine transcript (its own tab, or the
    Original beside which it may be): not a text's or the files' tab. The others need only
    know that it exists, not the text of every page of a 500-page scan."""
    wanted = request.GET.get("text")
    return wanted != FILES_TAB and all(str(text.pk) != wanted for text in document.texts.all())


def original_context(request: HttpRequest, document: Document, pages: list[Page],
                     transcript: MachineTranscript | None = None) -> dict:
    """The Original tab: the page images (with the hits of ?q= boxed on them), the search
    inside the document, and the text chosen to read beside them (a text, or the machine
    transcript)."""
    texts = sorted_texts(document)
    beside_ocr = viewer.machine_transcript_beside(
        request, texts, has_machine_transcript=bool(transcript))
    beside = None if beside_ocr else viewer.text_beside(request, texts, document)
    keep = {k: request.GET[k] for k in ("collection",) if request.GET.get(k)}
    inside = viewer.search_inside(document, pages, request.GET.get("q", ""))
    return {
        **(transcript_context(document, transcript, beside=True) if beside_ocr else {}),
        "transcript": transcript,
        "beside_ocr": beside_ocr,
        "page_images": viewer.with_hit_boxes(viewer.page_images(document, pages), inside),
        "inside": inside,
        "inside_keep": {**keep, "text": viewer.ORIGINAL_TAB,
                        **({"beside": request.GET["beside"]} if request.GET.get("beside") else {})},
        "search2_url": viewer.search2_url(document.pk),
        "start_page": positive_int(request.GET.get("page")) or 1,
        "beside_texts": texts,
        "beside": beside,
        "beside_keep": {**keep, "text": viewer.ORIGINAL_TAB,
                        **({"q": inside.query} if inside else {})},
        "manifest_url": viewer.manifest_url(document.pk),
        "pages_pdf_url": viewer.pages_pdf_url(document.pk),
        # Pages prefetched by document_for_page carry has_reading; others are not read.
        "ocr_text_url": viewer.ocr_text_url(document.pk)
        if any(getattr(page, "has_reading", False) for page in pages) else "",
    }


def transcript_context(document: Document, transcript: MachineTranscript | None, *,
                       beside: bool = False) -> dict:
    """The machine transcript's pages, each with a link to the viewer opened at it (keeping
    the transcript beside the pages when it is shown there)."""
    if transcript is None:
        return {}
    links = []
    for page in transcript.pages:
        link = viewer.viewer_url(document.pk, page.number)
        if beside:
            path, _, anchor = link.partition("#")
            link = f"{path}&{urlencode({'beside': OCR_KEY})}#{anchor}"
        links.append((page, link))
    return {"transcript": transcript, "transcript_pages": links, "transcript_beside": beside}


@require_safe
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """An original file, streamed, if its document is visible to this user; 404 otherwise."""
    document = queries.visible_document(pk, request.user)
    if document is None or not 0 < attachment_id <= queries.MAX_ID:
        raise Http404("No such file.")
    attachment = document.attachments.filter(pk=attachment_id).first()
    if attachment is None or not attachment.file:
        raise Http404("No such file.")
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except (FileNotFoundError, IsADirectoryError):
        raise Http404("No such file.") from None
    return FileResponse(
        handle, as_attachment=True, filename=PurePath(attachment.file.name).name,
        content_type=attachment.content_type or None,
    )


@require_safe
def by_source_id(request: HttpRequest, source_id: str) -> HttpResponseRedirect:
    """Follow a link by source identifier: to our copy, else to FRUS for a FRUS ID, else 404."""
    document = queries.document_by_source_id(source_id, request.user)
    if document is not None:
        return HttpResponseRedirect(slugged_path(document, "document"))
    if FRUS_ID.match(source_id):
        return HttpResponseRedirect(FRUS_BASE + source_id)
    raise Http404("No document has that source identifier.")

