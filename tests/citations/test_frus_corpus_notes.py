"""Every FRUS volume of the shared corpus, imported with its bibliography, is cited as a
published volume: the issue's "done when" for citations (issue 16, part 1).

For each of the 87 volumes (one test each, so a volume can be rerun alone): the volume is
imported with `import-frus --bibliography`, every document's CSL-JSON is made as the document
page makes it, and every one names the series with its years, the volume number and title,
at least one editor, the year of publication and the document number, with no classification
marking in any of the parts a note prints outside the title. The Chicago note itself is
rendered for the first and last document of each volume and every 25th between (rendering
all 28,450 would take citeproc-py a quarter of an hour; the other documents differ only in
the variables checked above), and checked for the same.
"""

from __future__ import annotations

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from declassified.archive.models import Collection, Document
from declassified.citations import render
from declassified.citations.markings import classification_markings
from declassified.citations.record import citable

REPO = Path(__file__).resolve().parents[2]
FRUS = REPO.parent / "shared" / "corpus" / "frus"
ALL_VOLUMES = sorted((FRUS / "volumes").glob("*.xml.gz"))
# Importing all 87 volumes takes 15–20 minutes a database, too long for every `make test`: by
# default one volume of each kind is imported (the oldest series, a wartime volume, a volume
# whose files name no editor, a microfiche supplement, a regular and an e-volume of the Nixon
# years). `DECLASSIFIED_CITE_ALL_VOLUMES=1 make test-sqlite PYTEST_ARGS=tests/citations/
# test_frus_corpus_notes.py` checks every volume (done for issue 16: docs/citations.md).
KINDS = ("frus1914-20v01", "frus1943China", "frus1958-60v05", "frus1961-63v07-09mSupp",
         "frus1969-76v12", "frus1969-76ve13")
VOLUMES = ALL_VOLUMES if os.environ.get("DECLASSIFIED_CITE_ALL_VOLUMES") == "1" else [
    path for path in ALL_VOLUMES if path.name.removesuffix(".xml.gz") in KINDS]
SAMPLE_EVERY = 25
# What a note prints besides the title: the variables a classification marking must not be in.
NOTE_PARTS = ("event-place", "collection-title", "volume", "container-title", "publisher",
              "publisher-place", "number", "medium")

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not VOLUMES, reason=f"the FRUS corpus is not at {FRUS}"),
    pytest.mark.django_db,
]


def import_with_bibliography(path: Path) -> Collection:
    call_command("import_frus", str(path), bibliography=str(FRUS / "bibliography"),
                 foreground=True, stdout=StringIO())
    return Collection.objects.get(source_id=path.name.removesuffix(".xml.gz"))


def volume_documents(volume: Collection) -> list[Document]:
    """The volume's documents with what a citation reads (as citations.views loads one)."""
    return list(
        Document.objects.filter(collections=volume).order_by("id")
        .select_related("repository", "place_of_origin")
        .prefetch_related("authors", "collections", "subjects", "languages", "texts")
    )


def note_parts_text(item: dict) -> str:
    editors = " ".join(" ".join(str(v) for v in name.values()) for name in item.get("editor", []))
    return " ".join([editors] + [str(item.get(key, "")) for key in NOTE_PARTS])


def assert_names_the_volume(item: dict, source_id: str) -> None:
    assert item["type"] == "chapter", source_id
    assert re.search(r"Foreign Relations of the United States.*\d{4}", item["collection-title"]), \
        (source_id, item.get("collection-title"))
    assert item.get("container-title"), source_id
    assert item.get("editor"), source_id
    assert re.fullmatch(r"\d{4}", str(item["issued"]["date-parts"][0][0])), source_id
    assert item.get("number"), source_id
    assert classification_markings(note_parts_text(item)) == [], (source_id, item)


def assert_note_names_the_volume(note: str, item: dict, source_id: str) -> None:
    assert item["collection-title"] in note, (source_id, note)
    assert item["container-title"] in note, (source_id, note)
    if item.get("volume"):
        assert f" {item['volume']}, " in note, (source_id, note)
    assert "ed. " in note, (source_id, note)
    assert f"{item['issued']['date-parts'][0][0]})" in note, (source_id, note)
    assert note.rstrip(".").endswith(f"doc. {item['number']}") or \
        f"doc. {item['number']}," in note, (source_id, note)
    outside_title = note.replace(item["title"], "", 1)
    assert classification_markings(outside_title) == [], (source_id, note)


@pytest.mark.parametrize("path", VOLUMES, ids=[p.name.removesuffix(".xml.gz") for p in VOLUMES])
def test_every_document_of_the_volume_is_cited_in_the_published_volume(path):
    volume = import_with_bibliography(path)
    request = RequestFactory().get("/")
    documents = volume_documents(volume)
    assert documents

    for position, document in enumerate(documents):
        item = citable(document, request).csl
        assert_names_the_volume(item, document.source_id)
        if position % SAMPLE_EVERY == 0 or position == len(documents) - 1:
            note = render.render_citation(item, "chicago").note_text
            assert_note_names_the_volume(note, item, document.source_id)
