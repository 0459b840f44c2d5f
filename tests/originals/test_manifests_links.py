"""Where the manifests are linked from: the document page's <head> and JSON-LD, the API's
document and collection records, and the bulk dumps (which equal the API records)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client

from declassified.harvest.records import document_records
from tests.factories import make_collection, make_document
from tests.originals.page_fixtures import add_pages, rendered_page

pytestmark = pytest.mark.django_db
LINK = ('<link rel="alternate" type=\'application/ld+json;profile='
        '"http://iiif.io/api/presentation/3/context.json"\' href="/iiif/3/document/{pk}/'
        'manifest.json" title="IIIF manifest">')


def jsonld_of(html: str) -> dict:
    for script in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html):
        data = json.loads(script)
        if data.get("@type") == "ArchiveComponent":
            return data
    raise AssertionError("no ArchiveComponent JSON-LD on the page")


def test_the_document_page_links_its_manifest_in_head_and_json_ld():
    document = make_document(title="With pages")
    page = rendered_page(document)

    html = Client().get(document.get_absolute_url()).content.decode()

    head = html.split("</head>")[0]
    assert LINK.format(pk=document.pk) in head
    data = jsonld_of(html)
    manifest = f"http://testserver/iiif/3/document/{document.pk}/manifest.json"
    assert data["subjectOf"] == {
        "@type": "CreativeWork", "@id": manifest, "url": manifest, "name": "IIIF manifest",
        "encodingFormat": 'application/ld+json;profile="http://iiif.io/api/presentation/3/'
                          'context.json"'}
    assert data["image"] == f"http://testserver/iiif/3/{page.pk}/full/,200/0/default.jpg"


def test_a_document_without_pages_links_no_manifest():
    document = make_document()

    html = Client().get(document.get_absolute_url()).content.decode()

    assert "/manifest.json" not in html
    assert "subjectOf" not in jsonld_of(html)


def test_the_api_record_lists_pages_with_image_services_and_the_manifest():
    document = make_document()
    first = rendered_page(document)
    (second,) = add_pages(document, 1, like=first)
    bare = make_document()

    record = Client().get(f"/api/v1/documents/{document.pk}").json()
    bare_record = Client().get(f"/api/v1/documents/{bare.pk}").json()

    assert record["iiif_manifest"] == (
        f"http://testserver/iiif/3/document/{document.pk}/manifest.json")
    assert record["pages"] == [
        {"id": page.pk, "label": f"p. {n}", "width": 600, "height": 800,
         "image_service": f"http://testserver/iiif/3/{page.pk}"}
        for n, page in enumerate([first, second], start=1)]
    assert (bare_record["pages"], bare_record["iiif_manifest"]) == ([], None)


def test_the_api_collection_record_links_its_iiif_collection():
    collection = make_collection()

    record = Client().get(f"/api/v1/collections/{collection.pk}").json()

    assert record["iiif_collection"] == (
        f"http://testserver/iiif/3/collection/{collection.pk}/collection.json")


def test_a_dump_line_of_a_document_with_pages_is_its_api_record(settings):
    document = make_document()
    add_pages(document, 2, like=rendered_page(document))

    [line] = document_records([type(document).objects.select_related(
        "repository", "place_of_origin").get(pk=document.pk)], "http://testserver")

    detail = Client().get(f"/api/v1/documents/{document.pk}").json()
    # Only the detail carries the machine transcript (every page's OCR text): lists and dump
    # lines stay small (the OCR text is at /document/<id>/ocr.txt).
    assert detail.pop("machine_transcript") is None
    assert line == detail
    call_command("dumps", "--base-url", "http://testserver")  # and the command still runs


def test_the_collection_page_links_its_iiif_collection():
    collection = make_collection()

    html = Client().get(collection.get_absolute_url()).content.decode()

    head = html.split("</head>")[0]
    assert (f'href="/iiif/3/collection/{collection.pk}/collection.json" '
            'title="IIIF collection"') in head
