"""Template tags of the citation includes (web/includes/document_meta.html and friends)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from declassified.citations import jsonld
from declassified.citations.record import CitableDocument, citable

register = template.Library()


@register.simple_tag(takes_context=True)
def citable_document(context, document) -> CitableDocument:
    """`{% citable_document document as cite %}`: the page's citation record (memoised)."""
    return citable(document, context["request"])


@register.simple_tag(takes_context=True)
def collection_jsonld(context, collection, document_count=None) -> SafeString:
    """JSON-LD of a collection page; `document_count` when the page already counted them."""
    request = context["request"]
    image_url = ""
    if context.get("has_image") and collection.image:
        image_url = request.build_absolute_uri(collection.image.url)
    count = document_count if isinstance(document_count, int) else None
    return jsonld.script_tag(jsonld.collection_jsonld(
        request, collection, document_count=count, image_url=image_url))


@register.simple_tag(takes_context=True)
def site_jsonld(context) -> SafeString:
    """JSON-LD of the archive and its website search (for the home page)."""
    return jsonld.script_tag(jsonld.site_jsonld(context["request"]))
