"""Every public route has its trio: it works; a wrong method is a 405; a stranger gets what a
stranger should (a 404 for a hidden record, 401/403 for a write, pages without the draft).

The routes are read from the URLconf, so a new route fails test_every_route_has_a_trio until
it has an entry in TRIOS. The back office (/admin/) is Django's admin, staff-only as a whole
and tested in tests/admin; it is left out here. Requests go without CSRF checks, as the
view's own method handling is what is tested (tests/web/test_errors.py sends a POST with them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client

from declassified import search
from declassified.api import tokens
from declassified.archive.models import Document
from declassified.archive.page_texts import PageReadingValues, do_record_page_reading
from declassified.originals.render import render_attachment_pages
from tests.factories import (
    make_attachment,
    make_collection,
    make_document,
    make_person,
    make_place,
    make_repository,
    make_subject,
    scan_bytes,
)
from tests.routes import named_routes

SECRET = "Zebrafinch"  # a word of the draft's title only; searches for it echo it
DRAFT_TITLE = f"{SECRET} telegram"


@dataclass(frozen=True)
class Call:
    """One request; `path` takes the world's values ({doc}, {draft}, {person_slug}…)."""

    path: str
    status: int = 200
    who: str = "anonymous"  # anonymous, a persona (charlie), or a persona's token (bob-token)
    method: str = "GET"
    body: dict | None = None
    follow: bool = False
    contains: str = ""


@dataclass(frozen=True)
class Trio:
    works: Call
    wrong_method: str  # sent to works.path by works.who: must be a 405 with an Allow header
    strangers: tuple[Call, ...]  # none of these answers shows the draft


def page(path: str, *strangers: Call, wrong: str = "POST") -> Trio:
    """A public page anyone reads; by default charlie reads it too, without the draft."""
    return Trio(Call(path), wrong, strangers or (Call(path, who="charlie"),))


TRIOS: dict[str, Trio] = {
    # --- web: public pages ---
    "web:home": page("/"),
    "web:collections": page("/collections/"),
    "web:collection": page("/collection/{collection}/"),
    "web:collection-slug": page("/collection/{collection}/{collection_slug}/"),
    "web:document": page("/document/{doc}/", Call("/document/{doc}/", who="charlie"),
                         Call("/document/{draft}/", 404, who="charlie")),
    "web:document-slug": page("/document/{doc}/{doc_slug}/",
                              Call("/document/{doc}/{doc_slug}/"),
                              Call("/document/{draft}/{draft_slug}/", 404)),
    "web:attachment": page("/document/{doc}/files/{doc_file}/",
                           Call("/document/{draft}/files/{draft_file}/", 404, who="charlie")),
    "web:by-source": Trio(Call("/source/wilson/public", 302), "POST",
                          (Call("/source/wilson/draft", 404),)),
    "web:person": page("/person/{person}/"),
    "web:person-slug": page("/person/{person}/{person_slug}/"),
    "web:place": page("/place/{place}/"),
    "web:place-slug": page("/place/{place}/{place_slug}/"),
    "web:subject": page("/subject/{subject}/"),
    "web:subject-slug": page("/subject/{subject}/{subject_slug}/"),
    "web:repository": page("/repository/{repository}/"),
    "web:repository-slug": page("/repository/{repository}/{repository_slug}/"),
    "web:collection-image": page("/media/collections/map.png",
                                 Call("/media/collections/..%2F..%2Fsecret_key", 404),
                                 Call("/media/collections/drawing.svg", 404)),
    "web:search": page("/search/?q=cable", Call(f"/search/?q={SECRET}&status=all",
                                                who="charlie")),
    "web:search-help": page("/search/help/"),
    "web:search-facet": page("/search/facet/collection/?q=cable",
                             Call(f"/search/facet/collection/?q={SECRET}&status=all",
                                  who="charlie"),
                             Call("/search/facet/type/?within=collection:{drafts_only}",
                                  who="charlie")),
    # --- harvest: OAI-PMH (GET and POST by protocol), feeds, sitemaps, discovery, data ---
    "harvest:oai": Trio(Call("/oai?verb=Identify", contains="<Identify>"), "PUT", (
        Call("/oai?verb=GetRecord&metadataPrefix=oai_dc"
             "&identifier=oai:testserver:document/{draft}", contains='code="idDoesNotExist"'),
        Call("/oai", method="POST", body={"verb": "ListRecords", "metadataPrefix": "oai_dc"},
             contains="<ListRecords>"),
    )),
    "harvest:feed": page("/feeds/documents.atom"),
    "harvest:search-feed": page(f"/feeds/search.atom?q={SECRET}&status=all"),
    "harvest:collection-feed": page("/feeds/collection/{collection}.atom",
                                    Call("/feeds/collection/424242.atom", 404)),
    "harvest:sitemap": page("/sitemap.xml"),
    "harvest:sitemap-pages": page("/sitemap-pages.xml"),
    "harvest:sitemap-part": page("/sitemap-documents-1.xml", Call("/sitemap-documents-2.xml", 404)),
    "harvest:robots": page("/robots.txt"),
    "harvest:opensearch": page("/opensearch.xml"),
    "harvest:data": page("/data/"),
    "harvest:dump": page("/data/archive.jsonl.gz",
                         Call("/data/collection-{drafts_only}.jsonl.gz", 404)),
    # --- citations: downloads and the citation API ---
    "citations:bibtex": page("/document/{doc}/cite.bib", Call("/document/{draft}/cite.bib", 404)),
    "citations:ris": page("/document/{doc}/cite.ris", Call("/document/{draft}/cite.ris", 404)),
    "citations:csl-json": page("/document/{doc}/cite.json",
                               Call("/document/{draft}/cite.json", 404, who="charlie")),
    "citations:api": page("/api/v1/documents/{doc}/citation",
                          Call("/api/v1/documents/{draft}/citation", 404, who="charlie")),
    # --- api: reads for everyone, writes with a token and the right ---
    "api:collections": page("/api/v1/collections"),
    "api:collection": page("/api/v1/collections/{collection}"),
    "api:documents": page("/api/v1/documents", Call("/api/v1/documents?limit=100",
                                                    who="charlie-token"),
                          Call("/api/v1/documents", 401, method="POST", body={"title": "x"}),
                          Call("/api/v1/documents", 403, who="charlie-token", method="POST",
                               body={"title": "x"}), wrong="PUT"),
    "api:document": page("/api/v1/documents/{doc}",
                         Call("/api/v1/documents/{draft}", 404, who="charlie-token"),
                         Call("/api/v1/documents/{doc}", 403, who="bob-token", method="PATCH",
                              body={"title": "x"}), wrong="DELETE"),
    "api:document-publish": Trio(
        Call("/api/v1/documents/{draft}/publish", who="alice-token", method="POST"), "GET",
        (Call("/api/v1/documents/{draft}/publish", 403, who="bob-token", method="POST"),
         Call("/api/v1/documents/{draft}/publish", 401, method="POST"))),
    "api:document-withdraw": Trio(
        Call("/api/v1/documents/{doc}/withdraw", who="alice-token", method="POST"), "GET",
        (Call("/api/v1/documents/{doc}/withdraw", 403, who="charlie-token", method="POST"),)),
    "api:people": page("/api/v1/people"),
    "api:person": page("/api/v1/people/{person}", Call("/api/v1/people/424242", 404),
                       Call("/api/v1/people/{person}", 401, method="PATCH", body={"variants": []}),
                       Call("/api/v1/people/{person}", 403, who="charlie-token", method="PATCH",
                            body={"variants": []})),
    "api:places": page("/api/v1/places"),
    "api:place": page("/api/v1/places/{place}",
                      Call("/api/v1/places/{place}", 401, method="PATCH", body={"variants": []}),
                      Call("/api/v1/places/{place}", 403, who="charlie-token", method="PATCH",
                           body={"variants": []})),
    "api:subjects": page("/api/v1/subjects"),
    "api:subject": page("/api/v1/subjects/{subject}"),
    "api:repositories": page("/api/v1/repositories"),
    "api:repository": page("/api/v1/repositories/{repository}"),
    "api:search": page("/api/v1/search?q=cable",
                       Call(f"/api/v1/search?q={SECRET}&status=all", who="charlie-token")),
    "api:search-facet-values": page(
        "/api/v1/search/facet-values?facet=collection",
        Call(f"/api/v1/search/facet-values?facet=person&q={SECRET}&status=all",
             who="charlie-token")),
    "api:openapi": page("/api/v1/openapi.json"),
    "api:docs": page("/api/v1/docs", wrong="DELETE"),
    "api:docs-try": Trio(Call("/api/v1/docs/try?operation=list_people", 302), "POST", (Call(
        "/api/v1/docs/try?operation=get_document&id={draft}", 404, follow=True),)),
    "api:docs-swagger": page("/api/v1/docs/swagger"),
    # --- originals: IIIF Image API 3.0 (a draft's page is a 404, whoever asks but staff) ---
    "originals:image-base": Trio(Call("/iiif/3/{doc_page}", 303), "POST", (
        Call("/iiif/3/{draft_page}", 404, follow=True),
        Call("/iiif/3/{draft_page}", 404, who="charlie", follow=True))),
    "originals:info": page("/iiif/3/{doc_page}/info.json",
                           Call("/iiif/3/{draft_page}/info.json", 404),
                           Call("/iiif/3/{draft_page}/info.json", 404, who="charlie")),
    "originals:image": page("/iiif/3/{doc_page}/full/max/0/default.jpg",
                            Call("/iiif/3/{draft_page}/full/max/0/default.jpg", 404),
                            Call("/iiif/3/{draft_page}/0,0,512,512/256,/0/gray.png", 404,
                                 who="charlie")),
    # --- originals: IIIF Presentation 3 (manifests, collections) and downloads ---
    "originals:manifest": page("/iiif/3/document/{doc}/manifest.json",
                               Call("/iiif/3/document/{draft}/manifest.json", 404),
                               Call("/iiif/3/document/{draft}/manifest.json", 404, who="charlie")),
    "originals:collection": page("/iiif/3/collection/{collection}/collection.json",
                                 Call("/iiif/3/collection/{collection}/collection.json",
                                      who="charlie"),
                                 Call("/iiif/3/collection/{drafts_only}/collection.json")),
    "originals:search2": page("/iiif/3/document/{doc}/search/2?q=telegram",
                              Call("/iiif/3/document/{draft}/search/2?q=Zebrafinch", 404),
                              Call("/iiif/3/document/{draft}/search/2?q=t", 404, who="charlie")),
    "originals:search1": page("/iiif/3/document/{doc}/search/1?q=telegram",
                              Call("/iiif/3/document/{draft}/search/1?q=Zebrafinch", 404),
                              Call("/iiif/3/document/{draft}/search/1?q=t", 404, who="charlie")),
    "originals:autocomplete2": page("/iiif/3/document/{doc}/autocomplete/2?q=telegram",
                                    Call("/iiif/3/document/{draft}/autocomplete/2?q=Zebrafinch", 404),
                                    Call("/iiif/3/document/{draft}/autocomplete/2?q=t", 404, who="charlie")),
    "originals:autocomplete1": page("/iiif/3/document/{doc}/autocomplete/1?q=telegram",
                                    Call("/iiif/3/document/{draft}/autocomplete/1?q=Zebrafinch", 404),
                                    Call("/iiif/3/document/{draft}/autocomplete/1?q=t", 404, who="charlie")),
    "downloads:document-pdf": page("/document/{doc}/pages.pdf",
                                   Call("/document/{draft}/pages.pdf", 404),
                                   Call("/document/{draft}/pages.pdf", 404, who="charlie")),
    "downloads:page-jpeg": page("/document/{doc}/page/1.jpg?width=200",
                                Call("/document/{draft}/page/1.jpg", 404),
                                Call("/document/{draft}/page/1.jpg?width=200", 404,
                                     who="charlie")),
    "downloads:page-alto": page("/document/{doc}/page/1.alto.xml",
                                Call("/document/{draft}/page/1.alto.xml", 404),
                                Call("/document/{draft}/page/1.alto.xml", 404, who="charlie"),
                                Call("/document/{doc}/page/9.alto.xml", 404)),
    "downloads:page-text": page("/document/{doc}/page/1.txt",
                                Call("/document/{draft}/page/1.txt", 404),
                                Call("/document/{draft}/page/1.txt", 404, who="charlie"),
                                Call("/document/{doc}/page/0.txt", 404)),
    "downloads:document-text": page("/document/{doc}/ocr.txt",
                                    Call("/document/{draft}/ocr.txt", 404),
                                    Call("/document/{draft}/ocr.txt", 404, who="charlie")),
}
REDIRECTS = {"web:by-source", "api:docs-try", "originals:image-base"}  # they send the reader on


@pytest.fixture
def world(db, settings, alice, bob, charlie) -> dict:
    """A published cable and a draft sharing every tag and collection, with files; a
    collection holding the draft only; the index and the bulk data current."""
    tags = {"people": [make_person("Kosygin")], "places": [make_place("Hanoi")],
            "subjects": [make_subject("Aid")], "repository": make_repository("Archive")}
    collection = make_collection("Split")
    drafts_only = make_collection("Drafts only")
    doc = make_document(title="Public cable", source_id="wilson/public",
                        collections=[collection], **tags)
    draft = make_document(title=DRAFT_TITLE, status=Document.DRAFT, source_id="wilson/draft",
                          collections=[collection, drafts_only], **tags)
    doc.related.set([draft])
    images = settings.MEDIA_ROOT / "collections"
    images.mkdir(parents=True, exist_ok=True)
    for name in ("map.png", "drawing.svg"):
        (images / name).write_bytes(b"<svg/>" if name.endswith("svg") else b"\x89PNG\r\n")
    search.apply_pending()
    call_command("dumps")
    values = {"doc": doc, "draft": draft, "collection": collection, "drafts_only": drafts_only,
              "person": tags["people"][0], "place": tags["places"][0],
              "subject": tags["subjects"][0], "repository": tags["repository"]}
    found = {name: row.pk for name, row in values.items()}
    found |= {f"{name}_slug": row.slug for name, row in values.items()}
    found |= {"doc_file": make_attachment(doc).pk, "draft_file": make_attachment(draft).pk}
    found |= {"doc_page": _page_of(doc), "draft_page": _page_of(draft)}
    return found | {"personas": {"alice": alice, "bob": bob, "charlie": charlie}}


def _page_of(document: Document) -> int:
    """The ID of a page rendered from a scan attached to the document, with an OCR reading
    (its ALTO, text and the searchable PDF are served)."""
    attachment = make_attachment(document, "page.jpg", scan_bytes())
    render_attachment_pages(attachment)
    page = attachment.pages.get()
    do_record_page_reading(page, PageReadingValues(
        text=f"{document.title}", words=[[word, 10 + 60 * n, 10, 50, 20, 90, 1, 1] for n, word
                                         in enumerate(document.title.split())],
        mean_confidence=90, languages="eng", engine="tesseract 5.3.0; plain-1"), via="test")
    return page.pk


def send(world: dict, call: Call, method: str | None = None):
    client, headers = Client(), {}
    persona, _, token = call.who.partition("-")
    if persona != "anonymous" and token:
        key = tokens.do_create_token(world["personas"][persona], "trio")[1]
        headers["Authorization"] = f"Bearer {key}"
    elif persona != "anonymous":
        client.force_login(world["personas"][persona])
    path = call.path.format(**world)
    method = method or call.method
    if method == "GET":
        return client.get(path, follow=call.follow, headers=headers)
    if path.startswith("/oai") and method == "POST":  # a form, as harvesters send
        return client.post(path, urlencode(call.body or {}), headers=headers,
                           content_type="application/x-www-form-urlencoded")
    body = json.dumps(call.body) if call.body is not None else ""
    return client.generic(method, path, body, content_type="application/json", headers=headers)


def content(response) -> bytes:
    """The body, read whole also from a file response (whose file is then closed)."""
    if not response.streaming:
        return response.content
    body = b"".join(response.streaming_content)
    response.close()
    return body


def test_every_route_has_a_trio():
    assert set(named_routes()) == set(TRIOS)


@pytest.mark.parametrize("name", sorted(TRIOS))
def test_the_trio(world, name):
    """The stranger first and the working call last: that one may write (publish…)."""
    trio = TRIOS[name]
    for call in trio.strangers:
        response = send(world, call)
        body = content(response)
        assert response.status_code == call.status, ("stranger", call, body[:300])
        assert call.contains.encode() in body, ("stranger", call)
        assert DRAFT_TITLE.encode() not in body, ("stranger", call)
        assert f"/document/{world['draft']}/".encode() not in body, ("stranger", call)

    response = send(world, trio.works, method=trio.wrong_method)
    assert response.status_code == 405, ("wrong method", content(response)[:300])
    assert trio.wrong_method not in response["Allow"].split(", "), "wrong method"

    response = send(world, trio.works)
    body = content(response)
    assert response.status_code == trio.works.status, ("works", body[:300])
    assert trio.works.contains.encode() in body, "works"
    if name in REDIRECTS:
        assert response["Location"], "works"


@pytest.fixture(autouse=True)
def _public_reads_may_come_from_the_response_cache(response_cache):
    """As in production: what the public reads may be answered from the response cache,
    so these tests also prove that it never answers with what has changed since."""
