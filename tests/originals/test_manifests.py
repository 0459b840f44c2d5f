"""IIIF Presentation 3 manifests of documents: a canvas per page in the document's order,
the document's description, rights and links; JSON or JSON-LD, CORS, ETag; 404s that say
why."""

from __future__ import annotations

import pytest
from django.test import Client

from declassified.archive import actions
from declassified.archive.models import Document, Language, Page
from declassified.archive.pages import do_reorder_pages
from declassified.ingest.frus.write import RIGHTS as FRUS_RIGHTS
from declassified.originals.manifests import PUBLIC_DOMAIN_MARK, validated
from tests.factories import make_collection, make_document, make_person, make_repository
from tests.originals.page_fixtures import add_pages, rendered_page

pytestmark = pytest.mark.django_db
LD = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


def manifest_of(document: Document, client: Client | None = None, **headers) -> dict:
    response = (client or Client()).get(f"/iiif/3/document/{document.pk}/manifest.json",
                                        headers=headers)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_it_has_a_canvas_per_page_in_the_documents_order():
    document = make_document(title="Record of conversation")
    first = rendered_page(document, width=600, height=800)
    second, third = add_pages(document, 2, like=first)
    do_reorder_pages(document, [third.pk, first.pk, second.pk], acting_user=None,
                     via="test")

    manifest = manifest_of(document)

    canvases = manifest["items"]
    assert [c["id"].rsplit("/", 1)[1] for c in canvases] == [
        str(third.pk), str(first.pk), str(second.pk)]
    assert [c["label"] for c in canvases] == [{"none": ["p. 1"]}, {"none": ["p. 2"]},
                                              {"none": ["p. 3"]}]
    canvas = canvases[1]
    assert (canvas["width"], canvas["height"]) == (600, 800)
    annotation = canvas["items"][0]["items"][0]
    assert annotation["motivation"] == "painting" and annotation["target"] == canvas["id"]
    service = f"http://testserver/iiif/3/{first.pk}"
    assert annotation["body"]["id"] == f"{service}/full/max/0/default.jpg"
    assert annotation["body"]["service"] == [
        {"id": service, "type": "ImageService3", "profile": "level2"}]
    assert canvas["thumbnail"][0]["id"] == f"{service}/full/,200/0/default.jpg"
    assert (canvas["thumbnail"][0]["width"], canvas["thumbnail"][0]["height"]) == (150, 200)
    assert manifest["thumbnail"][0]["id"].startswith(f"http://testserver/iiif/3/{third.pk}/")


def test_it_describes_the_document_with_its_rights_and_links():
    russian = Language.objects.create(code="ru", name="Russian")
    collection = make_collection("Sino-Soviet Split")
    document = make_document(
        title="Memorandum of conversation", date="1960-07-16", summary="Soviet advisers leave.",
        classification="Top secret", document_type="Memorandum", collections=[collection],
        source_citation="AVPRF, f. 0100, op. 53", repository=make_repository("AVPRF"),
        authors=[make_person("Chervonenko")], rights="Translated for the archive.",
        funding="Made possible by the Example Foundation.")
    actions.do_set_document_tags(document, {"languages": [russian]}, acting_user=None, via="t")
    rendered_page(document)

    manifest = manifest_of(document)

    assert manifest["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert manifest["label"] == {"ru": ["Memorandum of conversation"]}
    assert manifest["summary"] == {"ru": ["Soviet advisers leave."]}
    pairs = {m["label"]["en"][0]: m["value"]["none"][0] for m in manifest["metadata"]}
    assert pairs == {
        "Date": "July 16, 1960", "Author": "Chervonenko", "Archive": "AVPRF",
        "Source": "AVPRF, f. 0100, op. 53", "Language": "Russian",
        "Classification": "Top secret", "Document type": "Memorandum",
        "Collection": "Sino-Soviet Split", "Record ID": str(document.pk)}
    assert manifest["requiredStatement"]["value"]["none"] == [
        "Translated for the archive.", "Made possible by the Example Foundation.",
        "Published by Declassified."]
    assert "rights" not in manifest  # no rights URI is known: none is invented
    assert manifest["homepage"][0]["id"] == f"http://testserver{document.get_absolute_url()}"
    assert manifest["seeAlso"][0]["id"] == f"http://testserver/api/v1/documents/{document.pk}"
    assert manifest["rendering"][0] == {
        "id": f"http://testserver/document/{document.pk}/pages.pdf", "type": "Text",
        "label": {"en": ["The whole document (PDF)"]}, "format": "application/pdf"}
    assert manifest["partOf"][0]["id"] == (
        f"http://testserver/iiif/3/collection/{collection.pk}/collection.json")
    assert manifest["provider"][0]["label"] == {"none": ["Declassified"]}
    assert manifest["navDate"] == "1960-07-16T00:00:00Z"
    assert manifest["behavior"] == ["individuals"]
    assert manifest["viewingDirection"] == "left-to-right"
    validated(manifest)


def test_a_public_domain_document_carries_the_public_domain_mark():
    document = make_document(rights=FRUS_RIGHTS)
    rendered_page(document)

    assert manifest_of(document)["rights"] == PUBLIC_DOMAIN_MARK


def test_a_document_of_several_languages_or_none_labels_its_title_none():
    document = make_document(title="Cable")
    rendered_page(document)

    assert manifest_of(document)["label"] == {"none": ["Cable"]}


def test_a_document_without_pages_is_a_404_that_says_why():
    document = make_document()

    response = Client().get(f"/iiif/3/document/{document.pk}/manifest.json")

    assert response.status_code == 404
    assert "no page images" in response.json()["error"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/iiif/3/document/424242/manifest.json",
                                  "/iiif/3/document/99999999999/manifest.json"])
def test_an_unknown_document_is_a_404(path):
    response = Client().get(path)

    assert response.status_code == 404
    assert response.json() == {"error": "No document has that ID."}


@pytest.mark.parametrize("status", [Document.DRAFT, Document.WITHDRAWN])
def test_a_hidden_documents_manifest_is_404_to_the_public_and_private_to_editors(
        status, charlie, alice):
    document = make_document(status=status, title="Secret draft")
    rendered_page(document)
    path = f"/iiif/3/document/{document.pk}/manifest.json"
    stranger = Client()
    stranger.force_login(charlie)
    editor = Client()
    editor.force_login(alice)

    assert Client().get(path).status_code == 404
    assert stranger.get(path).status_code == 404
    response = editor.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_it_answers_json_ld_when_asked_json_otherwise_with_cors_and_an_etag():
    document = make_document()
    rendered_page(document)
    path = f"/iiif/3/document/{document.pk}/manifest.json"

    plain = Client().get(path)
    linked = Client().get(path, headers={"Accept": "application/ld+json"})
    again = Client().get(path, headers={"If-None-Match": plain["ETag"]})

    assert plain["Content-Type"] == "application/json"
    assert linked["Content-Type"] == LD
    assert "Accept" in plain["Vary"]
    assert plain["Access-Control-Allow-Origin"] == "*"
    assert plain["Cache-Control"] == "public, max-age=300"
    assert again.status_code == 304


def test_a_wrong_method_is_a_json_405_and_a_preflight_is_answered():
    document = make_document()
    rendered_page(document)
    path = f"/iiif/3/document/{document.pk}/manifest.json"

    wrong = Client().post(path)
    preflight = Client().options(path)

    assert wrong.status_code == 405 and "GET" in wrong.json()["error"]
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"


def test_it_costs_five_queries_however_many_pages(django_assert_max_num_queries):
    document = make_document(collections=[make_collection()], authors=[make_person()])
    add_pages(document, 40, like=rendered_page(document))

    with django_assert_max_num_queries(5):
        manifest = manifest_of(document)

    assert len(manifest["items"]) == 41


def test_the_manifest_follows_edits_at_once_though_it_may_come_from_the_cache(response_cache):
    document = make_document(title="Before")
    first = rendered_page(document)
    (second,) = add_pages(document, 1, like=first)
    assert manifest_of(document)["label"] == {"none": ["Before"]}

    document.title = "After"
    actions.do_save_document(document, acting_user=None, via="test")
    assert manifest_of(document)["label"] == {"none": ["After"]}

    do_reorder_pages(document, [second.pk, first.pk], acting_user=None, via="test")
    assert manifest_of(document)["items"][0]["id"].endswith(f"/canvas/{second.pk}")

    document.status = Document.DRAFT
    actions.do_save_document(document, acting_user=None, via="test")
    assert Client().get(f"/iiif/3/document/{document.pk}/manifest.json").status_code == 404


def test_a_page_larger_than_the_image_services_max_area_states_the_size_max_sends():
    document = make_document()
    page = rendered_page(document)
    (huge,) = add_pages(document, 1, like=page)
    Page.objects.filter(pk=huge.pk).update(width=6000, height=8000)  # a 600 dpi page's size

    body = manifest_of(document)["items"][1]["items"][0]["items"][0]["body"]

    assert (body["width"], body["height"]) == (3547, 4729)  # 4096² px at most, as `max` is
    assert body["width"] * body["height"] <= 4096 * 4096
