"""sitemap.xml: an index of parts, each of at most 50,000 URLs (the sitemaps.org limit).

Parts list the site's pages, published documents, collections, and the entities (people,
places, subjects, repositories) that at least one published document names, so no draft is
revealed through its tags. URLs are absolute on the request's host; lastmod is UTC.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from lxml import etree

from declassified.archive import access
from declassified.archive.models import Collection, Person, Place, Repository, Subject

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS_PER_PART = 50_000


def part_size() -> int:
    """URLs per part: settings.SITEMAP_PART_SIZE, never more than the limit of 50,000."""
    return max(1, min(settings.SITEMAP_PART_SIZE, MAX_URLS_PER_PART))


def _named_by_public_documents(*relations: str) -> Q:
    """Rows that a published document names through one of `relations`.

    Each relation is an uncorrelated `pk IN (SELECT …)`: the database computes the set of
    named ids once per query, where a correlated EXISTS ran one subquery per row (7–9 s for
    the people of 21,000 documents)."""
    published = access.public_documents()
    condition = Q()
    for relation in relations:
        named = published.filter(**{f"{relation}__isnull": False}).values(relation)
        condition |= Q(pk__in=named)
    return condition


@dataclass(frozen=True)
class Section:
    name: str
    rows: Callable[[], QuerySet]  # rows with pk, slug and updated_at, in a stable order


SECTIONS = [
    Section("documents", lambda: access.public_documents()),
    Section("collections", lambda: Collection.objects.all()),
    Section("people", lambda: Person.objects.filter(
        _named_by_public_documents("authors", "people", "contributors"))),
    Section("places", lambda: Place.objects.filter(_named_by_public_documents("places"))),
    Section("subjects", lambda: Subject.objects.filter(_named_by_public_documents("subjects"))),
    Section("repositories", lambda: Repository.objects.filter(
        _named_by_public_documents("repository"))),
]
SECTIONS_BY_NAME = {section.name: section for section in SECTIONS}
STATIC_PAGES = ["web:home", "web:collections", "harvest:data"]


def w3c_datetime(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def xml_response(root: etree._Element) -> HttpResponse:
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


def add_entry(parent: etree._Element, tag: str, location: str, lastmod: str) -> None:
    entry = etree.SubElement(parent, f"{{{SITEMAP_NS}}}{tag}")
    etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = location
    if lastmod:
        etree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = lastmod


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The index: the pages part, then each section's parts. One query per section."""
    root = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    add_entry(root, "sitemap", request.build_absolute_uri(reverse("harvest:sitemap-pages")), "")
    for section in SECTIONS:
        totals = section.rows().aggregate(count=Count("pk"), last=Max("updated_at"))
        for number in range(1, math.ceil(totals["count"] / part_size()) + 1):
            location = reverse("harvest:sitemap-part", args=[section.name, number])
            add_entry(root, "sitemap", request.build_absolute_uri(location),
                      w3c_datetime(totals["last"]))
    return xml_response(root)


@require_safe
def sitemap_pages(request: HttpRequest) -> HttpResponse:
    """The site's own pages (never empty, so the index always has a valid part)."""
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    for name in STATIC_PAGES:
        add_entry(root, "url", request.build_absolute_uri(reverse(name)), "")
    return xml_response(root)


@require_safe
def sitemap_part(request: HttpRequest, section: str, number: int) -> HttpResponse:
    """One part of a section: at most part_size() URLs, in id order. One query."""
    if section not in SECTIONS_BY_NAME or number < 1 or number > 1_000_000:
        raise Http404("No such sitemap.")
    size = part_size()
    rows = list(
        SECTIONS_BY_NAME[section].rows().order_by("pk").only("pk", "slug", "updated_at")
        [(number - 1) * size: number * size]
    )
    if not rows:
        raise Http404("No such sitemap.")
    base = request.build_absolute_uri("/")[:-1]
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    for row in rows:
        add_entry(root, "url", base + row.get_absolute_url(), w3c_datetime(row.updated_at))
    return xml_response(root)
