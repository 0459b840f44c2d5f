"""Drafts and withdrawn documents never reach the public, on any page or JSON twin.

Every public surface of one small archive is visited as an anonymous reader and as charlie
(logged in, no rights); the hidden documents' titles and IDs must appear nowhere.
"""

from __future__ import annotations

import pytest

from declassified.archive.models import Document
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
from tests.originals.page_fixtures import rendered_page
from tests.search.conftest import indexed


@pytest.fixture
def archive(db):
    collection = make_collection("Split", featured=True)
    tags = dict(
        authors=[make_person("Zhou Enlai")], people=[make_person("Kosygin")],
        places=[make_place()], subjects=[make_subject()], repository=make_repository(),
        collections=[collection],
    )
    public = [make_document(title=f"Public {n}", date=f"1965-03-0{n}", **tags) for n in (1, 3)]
    hidden = [
        make_document(title="Hidden draft", date="1965-03-02", status=Document.DRAFT,
                      source_id="wilson/draft", **tags),
        make_document(title="Hidden withdrawn", date="", status=Document.WITHDRAWN,
                      source_id="wilson/withdrawn", **tags),
    ]
    for document in public:
        document.related.set(hidden)
        document.contributors.set(tags["people"])
    for document in hidden:
        make_attachment(document)
    indexed()  # the record pages list their documents from the index
    return {"collection": collection, "public": public, "hidden": hidden, "tags": tags}


def public_surfaces(archive) -> list[str]:
    collection, tags = archive["collection"], archive["tags"]
    entities = [*tags["authors"], *tags["people"], *tags["places"], *tags["subjects"],
                tags["repository"]]
    return [
        "/", "/collections/", collection.get_absolute_url(),
        *[d.get_absolute_url() + f"?collection={collection.pk}" for d in archive["public"]],
        *[e.get_absolute_url() for e in entities],
        "/api/v1/collections", f"/api/v1/collections/{collection.pk}",
        *[f"/api/v1/documents/{d.pk}" for d in archive["public"]],
    ]


@pytest.mark.parametrize("viewer", ["anonymous", "charlie"])
def test_no_public_surface_mentions_a_hidden_document(client, archive, viewer, request):
    if viewer == "charlie":
        client.force_login(request.getfixturevalue("charlie"))

    for path in public_surfaces(archive):
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == 200, path
        for document in archive["hidden"]:
            assert document.title not in body, path
            assert f"/document/{document.pk}/" not in body, path


@pytest.mark.parametrize("viewer", ["anonymous", "charlie"])
def test_counts_include_published_documents_only(client, archive, viewer, request):
    if viewer == "charlie":
        client.force_login(request.getfixturevalue("charlie"))

    home = client.get("/").content.decode()
    listing = client.get("/api/v1/collections").json()["results"]

    assert "<strong>2</strong> published documents" in home
    assert [r["document_count"] for r in listing] == [2]
    assert "Documents <span class=\"meta\">(2)</span>" in client.get(
        archive["collection"].get_absolute_url()).content.decode()


@pytest.mark.parametrize("viewer", ["anonymous", "charlie"])
def test_every_direct_address_of_a_hidden_document_is_404(client, archive, viewer, request):
    if viewer == "charlie":
        client.force_login(request.getfixturevalue("charlie"))

    for document in archive["hidden"]:
        attachment = document.attachments.get()
        for path in (f"/document/{document.pk}/", document.get_absolute_url(),
                     f"/document/{document.pk}/files/{attachment.pk}/",
                     f"/source/{document.source_id}", f"/api/v1/documents/{document.pk}",
                     f"/api/v1/documents?source_id={document.source_id}"):
            assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("viewer", ["anonymous", "charlie"])
def test_no_original_of_a_hidden_document_reaches_the_public(client, archive, viewer, request):
    """Issue 14: manifests, IIIF collections, the whole-document PDF and page JPEGs."""
    if viewer == "charlie":
        client.force_login(request.getfixturevalue("charlie"))
    for document in [*archive["public"], *archive["hidden"]]:
        rendered_page(document)

    listings = [f"/iiif/3/collection/{archive['collection'].pk}/collection.json",
                *[f"/iiif/3/document/{d.pk}/manifest.json" for d in archive["public"]]]
    for path in listings:
        response = client.get(path)
        assert response.status_code == 200, path
        for document in archive["hidden"]:
            assert document.title not in response.content.decode(), path
            assert f"/document/{document.pk}/" not in response.content.decode(), path
    for document in archive["hidden"]:
        for path in (f"/iiif/3/document/{document.pk}/manifest.json",
                     f"/document/{document.pk}/pages.pdf", f"/document/{document.pk}/page/1.jpg"):
            assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("viewer", ["anonymous", "charlie"])
def test_a_hidden_documents_page_images_are_404(client, archive, viewer, request, alice):
    """IIIF Image API: the base URI, info.json and pictures of a hidden document's page,
    also once an editor's request has put them in the tile cache."""
    paths = []
    for document in archive["hidden"]:
        attachment = make_attachment(document, "page.jpg", scan_bytes())
        render_attachment_pages(attachment)
        page_id = attachment.pages.get().pk
        paths += [f"/iiif/3/{page_id}", f"/iiif/3/{page_id}/info.json",
                  f"/iiif/3/{page_id}/full/max/0/default.jpg",
                  f"/iiif/3/{page_id}/full/,200/0/default.jpg"]
    client.force_login(alice)
    assert all(client.get(path, follow=True).status_code == 200 for path in paths)
    client.logout()
    if viewer == "charlie":
        client.force_login(request.getfixturevalue("charlie"))
    for path in paths:
        assert client.get(path, follow=True).status_code == 404, path


def test_previous_and_next_skip_hidden_documents(client, archive):
    first, last = archive["public"]

    html = client.get(first.get_absolute_url()).content.decode()

    assert f'rel="next" href="{last.get_absolute_url()}' in html
    assert 'rel="prev"' not in html


@pytest.fixture(autouse=True)
def _public_reads_may_come_from_the_response_cache(response_cache):
    """As in production: what the public reads may be answered from the response cache,
    so these tests also prove that it never answers with what has changed since."""


@pytest.mark.parametrize("viewer", ["anonymous", "charlie"])
def test_a_hidden_documents_pages_appear_in_no_viewer_or_list(client, archive, viewer, request):
    """The Original tab (viewer and plain images) and the first-page thumbnails of lists."""
    from declassified import search

    page_ids = []
    for document in archive["hidden"]:
        attachment = make_attachment(document, "page.jpg", scan_bytes())
        render_attachment_pages(attachment)
        page_ids.append(attachment.pages.get().pk)
    search.apply_pending()
    if viewer == "charlie":
        client.force_login(request.getfixturevalue("charlie"))

    for document in archive["hidden"]:
        assert client.get(document.get_absolute_url(), {"text": "original"}).status_code == 404
    for path in [*public_surfaces(archive), "/search/?q=hidden", "/search/?q=split"]:
        html = client.get(path).content.decode()
        assert not any(f"/iiif/3/{page_id}/" in html for page_id in page_ids), path
