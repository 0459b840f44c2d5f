"""Correcting the machine transcript of one page in the back office.

    /admin/archive/document/<id>/pages/<page id>/text/

The page's image (from the IIIF image server) beside a textarea of its text (an editor's
correction if there is one, else what OCR read), and the machine's reading for reference.
Save keeps the editor's text; "Use the machine text again" drops the correction. Both go
through archive.page_texts.do_correct_page_text, which writes a revision. Reached from the
document's "Pages and originals" page (declassified.ingest.originals_admin), whose admin
class this mixin extends.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from declassified.archive.access import signed_in
from declassified.archive.control_chars import CONTROL_CHARACTERS
from declassified.archive.machine_transcripts import html_language
from declassified.archive.models import Document, Page, PageText
from declassified.archive.page_texts import (
    MAX_CORRECTION_CHARS,
    CorrectionError,
    do_correct_page_text,
)

VIA = "back office: page text"
IMAGE_WIDTH = 1000  # the page beside the textarea, as the public viewer's plain image


@dataclass(frozen=True)
class PageTextState:
    """A page's OCR text as the "Pages and originals" page lists it."""

    label: str
    css: str  # ocr-unread, ocr-empty, ocr-read, ocr-corrected


def page_text_state(reading: PageText | None) -> PageTextState:
    if reading is None:
        return PageTextState("Not read by OCR yet", "ocr-unread")
    if reading.is_corrected:
        return PageTextState("Text corrected by an editor", "ocr-corrected")
    if not reading.machine_text:
        return PageTextState("Read by OCR: no text found", "ocr-empty")
    confidence = ("" if reading.mean_confidence is None
                  else f", mean confidence {round(reading.mean_confidence)} %")
    return PageTextState(f"Read by OCR{confidence}", "ocr-read")


def page_image_url(page: Page) -> str:
    """The page at most IMAGE_WIDTH wide (IIIF sizes never upscale: a narrow page as it is)."""
    width = min(IMAGE_WIDTH, page.width)
    return reverse("originals:image", args=[page.pk, "full", f"{width},", "0", "default", "jpg"])


def page_readings(pages: list[Page]) -> dict[int, PageText]:
    """The pages' readings, without their word boxes (one query)."""
    if not pages:
        return {}
    rows = PageText.objects.filter(page__document_id=pages[0].document_id).defer("words")
    return {reading.page_id: reading for reading in rows}


class PageTextCorrectionMixin:
    """Adds the page-text correction page to a document admin (a ModelAdmin)."""

    def get_urls(self):
        correction = path(
            "<int:object_id>/pages/<int:page_id>/text/",
            self.admin_site.admin_view(self.page_text_view),  # type: ignore[attr-defined]
            name="archive_document_page_text")
        return [correction, *super().get_urls()]  # type: ignore[misc]

    def page_text_view(self, request: HttpRequest, object_id: int, page_id: int) -> HttpResponse:
        document = get_object_or_404(Document, pk=object_id)
        if not self.has_change_permission(request, document):  # type: ignore[attr-defined]
            raise PermissionDenied
        page = (Page.objects.filter(document=document, pk=page_id)
                .select_related("reading").first())
        if page is None:
            messages.error(request, f"Document {document.pk} has no page #{page_id} (it was "
                                    "rendered again, or removed?). Here are its pages now.")
            return redirect("admin:archive_document_originals", document.pk)
        reading = getattr(page, "reading", None)
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponse("Use GET, or POST from this page's form.", status=405,
                                content_type="text/plain")
        if request.method == "POST" and reading is not None:
            return self._correct_page_text(request, document, page, reading)
        return self._render_page_text(request, document, page, reading, text=None, error="")

    def _correct_page_text(self, request: HttpRequest, document: Document, page: Page,
                 reading: PageText) -> HttpResponse:
        again = "use_machine_text" in request.POST
        text = None if again else request.POST.get("text")
        problem = ""
        if text is None and not again:
            problem = "The form sent no text; nothing was saved."
        elif text is not None and not text.strip():
            problem = ("The text is empty. To show what OCR read, use \"Use the machine text "
                       "again\"; nothing was saved.")
        elif text is not None and (found := CONTROL_CHARACTERS.search(text)):
            problem = (f"Remove the control character U+{ord(found.group()):04X} (invisible; "
                       "often pasted from another program). Nothing was saved.")
        else:
            try:
                do_correct_page_text(reading, text, acting_user=signed_in(request.user), via=VIA)
            except CorrectionError as error:
                problem = f"{error} Nothing was saved."
        if problem:
            return self._render_page_text(request, document, page, reading, text=text,
                                          error=problem, status=400)
        number = page_number(page)
        messages.success(request, f"Page {number} shows the machine's text again." if again
                         else f"The corrected text of page {number} is saved.")
        return redirect("admin:archive_document_page_text", document.pk, page.pk)

    def _render_page_text(self, request: HttpRequest, document: Document, page: Page,
                reading: PageText | None, *, text: str | None, error: str,
                status: int = 200) -> HttpResponse:
        number = page_number(page)
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "title": f"Text of page {number}: {document}",
            "subtitle": None,
            "opts": self.opts,  # type: ignore[attr-defined]
            "original": document,
            "document": document,
            "page": page,
            "number": number,
            "reading": reading,
            "state": page_text_state(reading),
            "text": reading.text if text is None and reading is not None else text or "",
            "error": error,
            "max_chars": MAX_CORRECTION_CHARS,
            "image_url": page_image_url(page),
            "image_width": min(IMAGE_WIDTH, page.width),
            "image_height": max(1, round(page.height * min(IMAGE_WIDTH, page.width) / page.width)),
            "lang": html_language(reading.languages) if reading is not None else "",
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/archive/document/page_text.html", context,
                                status=status)


def page_number(page: Page) -> int:
    """The page's 1-based place in its document, in reading order (one query)."""
    before = Q(position__lt=page.position) | Q(position=page.position, pk__lt=page.pk)
    return Page.objects.filter(before, document_id=page.document_id).count() + 1
