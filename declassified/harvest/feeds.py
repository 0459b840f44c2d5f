"""Atom feeds of newly published documents: the whole archive, each collection, any search.

Entries are published documents only (archive.access), newest publication first, 50 a feed;
an entry's summary is the document's summary. URLs are absolute, built from the request host
(Django's syndication falls back to RequestSite without django.contrib.sites).
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe

from declassified import search
from declassified.archive import access
from declassified.archive.models import Collection, Document
from declassified.harvest.oai_dc import xml_text
from declassified.harvest.oai_requests import MAX_DATABASE_ID

FEED_LENGTH = 50


def newest_documents(documents: QuerySet[Document]) -> list[Document]:
    """The latest published documents of a queryset, newest first (two queries)."""
    return list(
        documents.order_by("-published_at", "-pk")
        .prefetch_related("subjects")
        .only("pk", "slug", "title", "summary", "document_type", "display_date",
              "published_at", "updated_at", "created_at")[:FEED_LENGTH]
    )


class DocumentFeed(Feed):
    """Atom feed of recently published documents; subclasses narrow the documents."""

    feed_type = Atom1Feed

    def title(self, obj) -> str:
        return f"{settings.SITE_NAME}: new documents"

    def subtitle(self, obj) -> str:
        return "Documents recently published in the archive."

    def link(self, obj) -> str:
        return reverse("web:home")

    def author_name(self, obj) -> str:
        return settings.SITE_NAME

    def documents(self, obj) -> QuerySet[Document]:
        return access.public_documents()

    def items(self, obj) -> list[Document]:
        return newest_documents(self.documents(obj))

    def item_title(self, item: Document) -> str:
        return xml_text(item.title)

    def item_description(self, item: Document) -> str:
        # Atom1Feed marks the summary type="html"; summaries are plain text, so escape them.
        return escape(xml_text(item.summary or item.display_date))

    def item_link(self, item: Document) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Document):
        return item.published_at or item.created_at

    def item_updateddate(self, item: Document):
        return item.updated_at

    def item_categories(self, item: Document) -> list[str]:
        return [xml_text(subject.name) for subject in item.subjects.all()]


class CollectionFeed(DocumentFeed):
    """Atom feed of the documents recently published in one collection."""

    def get_object(self, request, pk: int) -> Collection:
        collection = (
            Collection.objects.filter(pk=pk).only("pk", "slug", "title").first()
            if 0 < pk <= MAX_DATABASE_ID else None
        )
        if collection is None:
            raise Http404("No such collection.")
        return collection

    def title(self, obj: Collection) -> str:
        return f"{settings.SITE_NAME}: new documents in {xml_text(obj.title)}"

    def subtitle(self, obj: Collection) -> str:
        return f"Documents recently published in the collection {xml_text(obj.title)}."

    def link(self, obj: Collection) -> str:
        return obj.get_absolute_url()

    def documents(self, obj: Collection) -> QuerySet[Document]:
        return access.public_documents().filter(collections=obj)


# Feeds are read-only: other methods are a 405, as on every page.
site_feed = require_safe(DocumentFeed())
collection_feed = require_safe(CollectionFeed())


class SearchFeed(DocumentFeed):
    """Atom feed of a search: the newest published among the search's first results.

    The search runs as an anonymous reader whoever asks (feeds are shared and cached), so
    only published documents can appear.
    """

    def get_object(self, request, params: search.SearchParams) -> search.SearchParams:
        return params

    def title(self, obj: search.SearchParams) -> str:
        described = f"“{xml_text(obj.q)}”" if obj.q else "all documents"
        return f"{settings.SITE_NAME}: search for {described}"

    def subtitle(self, obj: search.SearchParams) -> str:
        return "Newest published documents among the search's best matches."

    def link(self, obj: search.SearchParams) -> str:
        query = obj.urlencode(page=False)
        return reverse("web:search") + (f"?{query}" if query else "")

    def documents(self, obj: search.SearchParams) -> QuerySet[Document]:
        result = search.search(obj, None)
        return access.public_documents().filter(pk__in=[hit.id for hit in result.hits])


_search_feed = SearchFeed()


@require_safe
def search_feed(request: HttpRequest) -> HttpResponse:
    """/feeds/search.atom?<the parameters of /search/>; 400 with the reason for bad ones."""
    try:
        params = search.parse_params(request.GET, page_size=search.MAX_PAGE_SIZE)
    except search.InvalidSearch as error:
        return HttpResponseBadRequest(f"{error}\n", content_type="text/plain; charset=utf-8")
    params = dataclasses.replace(params, page=1, page_size=search.MAX_PAGE_SIZE)
    return _search_feed(request, params=params)
