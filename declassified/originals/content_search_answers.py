"""IIIF Content Search answers (2.0 and 1.0) and the manifest's services, as plain dicts.

    search2_answer(request_info, located, total)   # an AnnotationPage (Search 2.0)
    search1_answer(request_info, located, total)   # an sc:AnnotationList (Search 1.0, Mirador)
    terms2_answer / terms1_answer                  # autocomplete: TermPage / search:TermList

Each hit is one annotation a line of the hit, targeting `<canvas>#xywh=…` (the words' boxes
on that line); the snippet (prefix, exact, suffix) is a "contextualizing" annotation with a
TextQuoteSelector in 2.0, a search:Hit with before/match/after in 1.0. See docs/ocr.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.http import urlencode

from declassified.originals.content_search import LocatedHit
from declassified.originals.manifests import SEARCH1_CONTEXT, PresentationUrls

SEARCH2_CONTEXT = "http://iiif.io/api/search/2/context.json"
PRESENTATION2_CONTEXT = "http://iiif.io/api/presentation/2/context.json"


@dataclass(frozen=True)
class Asked:
    """What a search request asked, as the answer repeats it in its ids and links."""

    base: str  # the service's absolute URL, without a query
    query: str
    page: int  # 1-based page of the answer
    per_page: int
    ignored: tuple[str, ...]
    extra: tuple[tuple[str, str], ...] = ()  # other parameters kept in links (motivation)

    def url(self, page: int | None = None) -> str:
        params = [("q", self.query), *self.extra]
        if page is not None:
            params.append(("page", str(page)))
        return f"{self.base}?{urlencode(params)}"

    def last_page(self, total: int) -> int:
        return max(1, -(-total // self.per_page))


def _annotation_id(base: str, hit: LocatedHit, part: int) -> str:
    return f"{base}/hit/{hit.page_id}-{hit.first}-{part}"


def _target(urls: PresentationUrls, document_id: int, page_id: int, box: Any) -> str:
    return f"{urls.canvas(document_id, page_id)}#xywh={box.x},{box.y},{box.w},{box.h}"


def search2_answer(asked: Asked, hits: list[LocatedHit], total: int, *, document_id: int,
                   urls: PresentationUrls) -> dict:
    """A Search 2.0 AnnotationPage: the hits' boxes in `items` ("highlighting"), their
    snippets in `annotations` ("contextualizing", TextQuoteSelector)."""
    items, context = [], []
    for hit in hits:
        sources = []
        for part, box in enumerate(hit.boxes):
            annotation_id = _annotation_id(asked.base, hit, part)
            sources.append(annotation_id)
            items.append({
                "id": annotation_id, "type": "Annotation", "motivation": "highlighting",
                "body": {"type": "TextualBody", "value": box.text, "format": "text/plain"},
                "target": _target(urls, document_id, hit.page_id, box),
            })
        context.append({
            "id": f"{asked.base}/match/{hit.page_id}-{hit.first}", "type": "Annotation",
            "motivation": "contextualizing",
            "target": _quote_targets(hit, sources),
        })
    answer: dict[str, Any] = {
        "@context": SEARCH2_CONTEXT, "id": asked.url(asked.page), "type": "AnnotationPage",
        "partOf": {"id": asked.url(), "type": "AnnotationCollection", "total": total,
                   "first": {"id": asked.url(1), "type": "AnnotationPage"},
                   "last": {"id": asked.url(asked.last_page(total)), "type": "AnnotationPage"}},
        "startIndex": (asked.page - 1) * asked.per_page,
        "items": items,
    }
    answer.update(_neighbours(asked, total, lambda page: {"id": asked.url(page),
                                                         "type": "AnnotationPage"}))
    if asked.ignored:
        answer["ignored"] = list(asked.ignored)
    if context:
        answer["annotations"] = [{"type": "AnnotationPage", "items": context}]
    return answer


def _quote_targets(hit: LocatedHit, sources: list[str]) -> Any:
    """One SpecificResource a box of the hit, the prefix on the first, the suffix on the last."""
    targets = []
    for part, (source, box) in enumerate(zip(sources, hit.boxes, strict=True)):
        selector: dict[str, str] = {"type": "TextQuoteSelector", "exact": box.text}
        if part == 0 and hit.prefix:
            selector["prefix"] = hit.prefix
        if part == len(sources) - 1 and hit.suffix:
            selector["suffix"] = hit.suffix
        targets.append({"type": "SpecificResource", "source": source, "selector": [selector]})
    return targets[0] if len(targets) == 1 else targets


def _neighbours(asked: Asked, total: int, link: Any) -> dict:
    found = {}
    if asked.page < asked.last_page(total):
        found["next"] = link(asked.page + 1)
    if asked.page > 1:
        found["prev"] = link(asked.page - 1)
    return found


def search1_answer(asked: Asked, hits: list[LocatedHit], total: int, *, document_id: int,
                   urls: PresentationUrls) -> dict:
    """A Search 1.0 sc:AnnotationList: `resources` (an oa:Annotation a box) and `hits`."""
    resources, search_hits = [], []
    for hit in hits:
        ids = []
        for part, box in enumerate(hit.boxes):
            annotation_id = _annotation_id(asked.base, hit, part)
            ids.append(annotation_id)
            resources.append({
                "@id": annotation_id, "@type": "oa:Annotation", "motivation": "sc:painting",
                "resource": {"@type": "cnt:ContentAsText", "chars": box.text},
                "on": _target(urls, document_id, hit.page_id, box),
            })
        search_hits.append({"@type": "search:Hit", "annotations": ids, "match": hit.exact,
                            "before": hit.prefix, "after": hit.suffix})
    within: dict[str, Any] = {"@type": "sc:Layer", "total": total, "first": asked.url(1),
                              "last": asked.url(asked.last_page(total))}
    if asked.ignored:
        within["ignored"] = list(asked.ignored)
    answer: dict[str, Any] = {
        "@context": [PRESENTATION2_CONTEXT, SEARCH1_CONTEXT],
        "@id": asked.url(asked.page), "@type": "sc:AnnotationList",
        "within": within, "startIndex": (asked.page - 1) * asked.per_page,
        "resources": resources, "hits": search_hits,
    }
    answer.update(_neighbours(asked, total, asked.url))
    return answer


def terms2_answer(asked: Asked, terms: list[tuple[str, int]], search_base: str) -> dict:
    """Autocomplete 2.0: a TermPage of {value, total, service} (the search for the term)."""
    answer: dict[str, Any] = {
        "@context": SEARCH2_CONTEXT, "id": asked.url(), "type": "TermPage",
        "items": [{"value": term, "total": count,
                   "service": [{"id": f"{search_base}?{urlencode({'q': term})}",
                                "type": "SearchService2"}]}
                  for term, count in terms],
    }
    if asked.ignored:
        answer["ignored"] = list(asked.ignored)
    return answer


def terms1_answer(asked: Asked, terms: list[tuple[str, int]], search_base: str) -> dict:
    """Autocomplete 1.0: a search:TermList of {match, url, count}."""
    answer: dict[str, Any] = {
        "@context": SEARCH1_CONTEXT, "@id": asked.url(), "@type": "search:TermList",
        "terms": [{"match": term, "url": f"{search_base}?{urlencode({'q': term})}",
                   "count": count} for term, count in terms],
    }
    if asked.ignored:
        answer["ignored"] = list(asked.ignored)
    return answer

