"""Every manifest of a small archive follows the Presentation 3 rules, and every address in it
answers: image services' info.json (whose size must be the canvas's), thumbnails, the
document page, its JSON record, the PDF, the collections it is part of.

The rules are checked twice: by iiif_prezi3's models (made from the IIIF's own JSON schema
of Presentation 3), and by the checks below, which the schema cannot express.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import pyvips
from django.test import Client

from declassified.archive.models import Document
from declassified.originals.manifests import validated
from declassified.originals.render import render_attachment_pages
from tests.factories import (
    make_attachment,
    make_collection,
    make_document,
    make_document_with_pages,
)
from tests.originals.page_fixtures import rendered_page

pytestmark = pytest.mark.django_db
CONTEXT = "http://iiif.io/api/presentation/3/context.json"
LANGUAGE_MAP_KEYS = ("label", "summary", "value")
SCANS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "scans"


@pytest.fixture
def archive() -> list[Document]:
    """Published documents with pages from a PDF, a JPEG and a landscape scan, in a
    collection; a draft with pages beside them."""
    collection = make_collection("Originals")
    documents = [
        make_document_with_pages(2, title="Two-page cable", collections=[collection]),
        make_document(title="One scan", collections=[collection]),
        make_document(title="Landscape table"),
    ]
    rendered_page(documents[1], width=500, height=700)
    rendered_page(documents[2], width=900, height=600)
    rendered_page(make_document(title="Draft", status=Document.DRAFT, collections=[collection]))
    return documents


def nodes(value) -> Iterator[dict]:
    """Every JSON object inside `value`, itself included."""
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from nodes(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from nodes(inner)


def check_language_maps(manifest: dict) -> None:
    for node in nodes(manifest):
        for key in LANGUAGE_MAP_KEYS:
            if key in node and not (key == "value" and "label" not in node):
                language_map = node[key]
                assert isinstance(language_map, dict) and language_map, (key, node)
                for language, texts in language_map.items():
                    assert isinstance(language, str) and language
                    assert isinstance(texts, list) and all(isinstance(t, str) for t in texts)


def check_ids_and_types(manifest: dict) -> None:
    for node in nodes(manifest):
        if "type" in node or "id" in node:
            assert node.get("type") and node.get("id", "").startswith("http://testserver/"), node
    structural = [n["id"] for n in nodes(manifest["items"])
                  if n.get("type") in ("Canvas", "AnnotationPage", "Annotation")]
    assert len(structural) == len(set(structural)), "ids of canvases and annotations repeat"


def check_canvases(client: Client, manifest: dict) -> None:
    assert manifest["items"], "a manifest has at least one canvas"
    for canvas in manifest["items"]:
        assert canvas["width"] > 0 and canvas["height"] > 0
        annotation = canvas["items"][0]["items"][0]
        assert annotation["motivation"] == "painting" and annotation["target"] == canvas["id"]
        for resource in (annotation["body"], *canvas["thumbnail"]):
            (service,) = resource["service"]
            assert service["type"] == "ImageService3" and service["profile"] == "level2"
            info = client.get(service["id"] + "/info.json")
            assert info.status_code == 200, service["id"]
            assert info.json()["id"] == service["id"]
            assert (info.json()["width"], info.json()["height"]) == (
                canvas["width"], canvas["height"]), "canvas size is not the image's"
        thumb = client.get(canvas["thumbnail"][0]["id"])
        assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
        picture = pyvips.Image.new_from_buffer(thumb.content, "")
        assert (picture.width, picture.height) == (
            canvas["thumbnail"][0]["width"], canvas["thumbnail"][0]["height"])


def check_links(client: Client, manifest: dict) -> None:
    for key in ("homepage", "seeAlso", "rendering", "partOf"):
        for link in manifest.get(key, []):
            response = client.get(link["id"])
            assert response.status_code == 200, (key, link["id"])
            if "format" in link:
                assert response["Content-Type"].startswith(link["format"]), (key, link)


def test_every_manifest_follows_the_presentation_3_rules_and_its_ids_resolve(archive):
    client = Client()
    collection_id = archive[0].collections.get().pk
    collection = client.get(f"/iiif/3/collection/{collection_id}/collection.json").json()
    listed = {item["id"] for item in collection["items"]}
    addresses = {f"http://testserver/iiif/3/document/{d.pk}/manifest.json" for d in archive}
    assert listed < addresses  # the collection lists its own published documents only

    for address in sorted(addresses):
        manifest = client.get(address, headers={"Accept": "application/ld+json"}).json()

        context = manifest["@context"]
        assert (context[-1] if isinstance(context, list) else context) == CONTEXT
        assert manifest["id"] == address and manifest["type"] == "Manifest"
        validated(manifest)
        check_language_maps(manifest)
        check_ids_and_types(manifest)
        check_canvases(client, manifest)
        check_links(client, manifest)
        body = manifest["items"][0]["items"][0]["items"][0]["body"]
        full = client.get(body["id"])
        assert full.status_code == 200 and full["Content-Type"] == body["format"]
        picture = pyvips.Image.new_from_buffer(full.content, "")
        assert (picture.width, picture.height) == (body["width"], body["height"])
    validated(collection)
    check_language_maps(collection)
    check_ids_and_types(collection | {"items": []})


@pytest.mark.corpus
@pytest.mark.parametrize("name, pages", [
    ("frus1964-68v20-d150.tif", 2),  # bitonal CCITT G4, two pages
    ("frus1943China-d532-p1.jpg", 1),
])
def test_a_manifest_of_real_scans_follows_the_rules(name, pages):
    document = make_document(title=name)
    attachment = make_attachment(document, name, (SCANS / name).read_bytes())
    render_attachment_pages(attachment)
    client = Client()

    manifest = client.get(f"/iiif/3/document/{document.pk}/manifest.json").json()

    assert len(manifest["items"]) == pages
    validated(manifest)
    check_language_maps(manifest)
    check_ids_and_types(manifest)
    check_canvases(client, manifest)
    check_links(client, manifest)
