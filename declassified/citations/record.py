"""Everything citable about one document, computed once per request.

`citable(document, request)` is memoised on the document instance, so the page's meta
include and its "Cite this document" include share one CSL-JSON item and one rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from declassified.archive.models import Document
from declassified.citations import jsonld, metadata, render
from declassified.citations.csl import CSL_MEDIA_TYPE, document_csl

_MEMO = "_citable_document"


@dataclass(frozen=True)
class Download:
    label: str
    url: str
    media_type: str
    extension: str


class CitableDocument:
    def __init__(self, document: Document, request: HttpRequest):
        self.document = document
        self.request = request

    @cached_property
    def url(self) -> str:
        """The canonical absolute URL of the document page."""
        return self.request.build_absolute_uri(self.document.get_absolute_url())

    @cached_property
    def csl(self) -> dict:
        return document_csl(self.document, url=self.url, accessed=timezone.localdate())

    @cached_property
    def citations(self) -> list[render.RenderedCitation]:
        return render.render_all(self.csl)

    @cached_property
    def downloads(self) -> list[Download]:
        pk = self.document.pk
        return [
            Download("BibTeX", reverse("citations:bibtex", args=[pk]), "application/x-bibtex",
                     "bib"),
            Download("RIS", reverse("citations:ris", args=[pk]),
                     "application/x-research-info-systems", "ris"),
            Download("CSL-JSON", reverse("citations:csl-json", args=[pk]), CSL_MEDIA_TYPE,
                     "json"),
        ]

    @cached_property
    def highwire(self) -> list[tuple[str, str]]:
        return metadata.highwire_tags(self.csl, self.document)

    @cached_property
    def dublin_core(self) -> list[tuple[str, str]]:
        return metadata.dublin_core_tags(self.csl, self.document)

    @cached_property
    def jsonld_script(self) -> SafeString:
        return jsonld.script_tag(jsonld.document_jsonld(self.request, self.document, self.csl))


def citable(document: Document, request: HttpRequest) -> CitableDocument:
    memo = getattr(document, _MEMO, None)
    if memo is None or memo.request is not request:
        memo = CitableDocument(document, request)
        setattr(document, _MEMO, memo)
    return memo
