"""How robots and browsers find the archive: robots.txt and an OpenSearch description."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from lxml import etree

from declassified.harvest.oai_dc import xml_text

OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read everything public; the back office is off limits. Names the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('harvest:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def opensearch_description(request: HttpRequest) -> HttpResponse:
    """OpenSearch 1.1 description: lets browsers add the archive's search (/search/?q=…)."""
    root = etree.Element(f"{{{OPENSEARCH_NS}}}OpenSearchDescription", nsmap={None: OPENSEARCH_NS})

    def add(tag: str, text: str, **attributes: str) -> None:
        etree.SubElement(root, f"{{{OPENSEARCH_NS}}}{tag}", attributes).text = text

    # ShortName is limited to 16 characters by the specification.
    add("ShortName", xml_text(settings.SITE_NAME)[:16])
    add("Description", xml_text(f"Search the documents of {settings.SITE_NAME}"))
    add("InputEncoding", "UTF-8")
    search_url = request.build_absolute_uri(reverse("web:search"))
    etree.SubElement(root, f"{{{OPENSEARCH_NS}}}Url", {
        "type": "text/html", "method": "get", "template": f"{search_url}?q={{searchTerms}}",
    })
    etree.SubElement(root, f"{{{OPENSEARCH_NS}}}Url", {
        "type": "application/opensearchdescription+xml", "rel": "self",
        "template": request.build_absolute_uri(request.path),
    })
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(xml, content_type="application/opensearchdescription+xml; charset=utf-8")
