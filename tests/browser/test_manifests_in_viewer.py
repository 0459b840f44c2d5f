"""Every manifest opens in the viewer: for documents made from the scan corpus's files of
each kind (an image-only PDF, a bitonal multi-page TIFF, JPEG pages, a Russian and a Chinese
original with English translations), the browser reads the document's IIIF manifest, checks
it with iiif-prezi3's models, then turns the viewer to each canvas in turn and finds there the
canvas's own image service, drawn at the canvas's size."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from declassified.originals.manifests import validated
from declassified.originals.render import render_attachment_pages
from tests.factories import make_attachment, make_document, make_language, make_text

pytestmark = [pytest.mark.browser, pytest.mark.corpus]

SCANS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "scans"
SOURCES = [
    "frus1969-76v03/d68",     # image-only PDF, 5 pages
    "frus1964-68v20/d150",    # bitonal CCITT G4 TIFF, 2 pages
    "frus1943China/d532",     # five single-page JPEG files
    "invented/ru/r03",        # Russian original, English translation beside it
    "invented/zh/z02",        # Chinese original
]


def files_of(source_id: str) -> list[Path]:
    with open(SCANS / "manifest.csv", newline="") as handle:
        return [SCANS / row["file"] for row in csv.DictReader(handle)
                if row["source_id"] == source_id]


@pytest.fixture
def scanned_documents(transactional_db) -> list:
    documents = []
    for source_id in SOURCES:
        document = make_document(title=f"Scan {source_id}", source_id=source_id)
        if source_id.startswith("invented/"):
            language = source_id.split("/")[1]
            document.languages.set([make_language(language, {"ru": "Russian", "zh": "Chinese"}[language])])
            make_text(document, "<p>Оригинал / 原文</p>", kind="transcript", language=language)
            make_text(document, "<p>The English translation.</p>", kind="translation",
                      language="en")
        for path in files_of(source_id):
            render_attachment_pages(make_attachment(document, path.name, path.read_bytes()))
        documents.append(document)
    return documents


def canvases_in_viewer(tab, count: int) -> list[dict]:
    """Turn the viewer to each page; what OpenSeadragon opened there, once fully drawn."""
    opened = []
    for index in range(count):
        tab.evaluate(f"() => declassifiedViewer.goToPage({index})")
        tab.wait_for_function(
            """() => { const item = declassifiedViewer.world.getItemAt(0);
                       return item && item.getFullyLoaded(); }""")
        opened.append(tab.evaluate(
            """() => { const source = declassifiedViewer.world.getItemAt(0).source;
                       return {id: source._id, width: source.width, height: source.height}; }"""))
    return opened


def test_every_manifest_opens_in_the_viewer(page, live_server, scanned_documents):
    for document in scanned_documents:
        response = page.request.get(f"{live_server.url}/iiif/3/document/{document.pk}/manifest.json")
        assert response.ok, document.source_id
        manifest = validated(response.json())
        canvases = manifest["items"]
        assert len(canvases) == document.pages.count() > 0

        page.goto(f"{live_server.url}{document.get_absolute_url()}")
        page.wait_for_function(
            "() => performance.getEntriesByName('viewer:first-page-loaded').length > 0")
        opened = canvases_in_viewer(page, len(canvases))

        expected = []
        for canvas in canvases:
            service = canvas["items"][0]["items"][0]["body"]["service"][0]
            expected.append({"id": service["id"], "width": canvas["width"],
                             "height": canvas["height"]})
        assert opened == expected, document.source_id
