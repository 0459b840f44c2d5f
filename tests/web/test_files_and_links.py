"""Original files, collection images and links by source identifier."""

from __future__ import annotations

import pytest
from django.conf import settings

from declassified.archive import actions
from declassified.archive.models import Document
from tests.factories import make_attachment, make_document


def test_a_published_documents_file_downloads_as_an_attachment(client, db):
    document = make_document()
    attachment = make_attachment(document, "scan.pdf", b"%PDF-1.4 original scan")

    response = client.get(f"/document/{document.pk}/files/{attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="scan.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 original scan"


@pytest.mark.parametrize("status", [Document.DRAFT, Document.WITHDRAWN])
def test_files_of_hidden_documents_are_404_for_the_public(client, charlie, db, status):
    document = make_document(status=status)
    attachment = make_attachment(document)
    path = f"/document/{document.pk}/files/{attachment.pk}/"

    anonymous = client.get(path)
    client.force_login(charlie)
    stranger = client.get(path)

    assert anonymous.status_code == 404 and stranger.status_code == 404


def test_editors_can_download_files_of_drafts(alice_client, db):
    document = make_document(status=Document.DRAFT)
    attachment = make_attachment(document)

    response = alice_client.get(f"/document/{document.pk}/files/{attachment.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"


def test_a_file_is_only_reachable_through_its_own_document(client, db):
    other = make_document()
    attachment = make_attachment(make_document(status=Document.DRAFT))

    assert client.get(f"/document/{other.pk}/files/{attachment.pk}/").status_code == 404
    assert client.get(f"/document/{other.pk}/files/99999999999999999999/").status_code == 404


def test_a_missing_file_on_disk_is_a_404(client, db):
    document = make_document()
    attachment = make_attachment(document)
    attachment.file.storage.delete(attachment.file.name)

    assert client.get(f"/document/{document.pk}/files/{attachment.pk}/").status_code == 404


@pytest.mark.parametrize("name", [
    "../secret_key", "..%2Fsecret_key", "%2E%2E/%2E%2E/secret_key", "/etc/passwd",
    "sub/../../x.jpg", "page.html", "vector.svg", "missing.jpg",
])
def test_collection_images_never_leave_their_folder(client, db, name):
    folder = settings.MEDIA_ROOT / "collections"
    folder.mkdir(parents=True)
    (settings.MEDIA_ROOT / "x.jpg").write_bytes(b"outside")
    (folder / "page.html").write_text("<script>alert(1)</script>")
    (folder / "vector.svg").write_text("<svg onload='alert(1)'/>")

    assert client.get(f"/media/collections/{name}").status_code == 404


def test_a_source_id_link_goes_to_our_copy(client, db):
    document = make_document(source_id="frus1964-68v30/d1")

    response = client.get("/source/frus1964-68v30/d1")

    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()


def test_a_frus_id_we_do_not_have_goes_to_the_office_of_the_historian(client, db):
    make_document(source_id="frus1964-68v30/d2", status=Document.DRAFT)

    missing = client.get("/source/frus1964-68v30/d3")
    hidden = client.get("/source/frus1964-68v30/d2")

    expected = "https://history.state.gov/historicaldocuments/frus1964-68v30/d3"
    assert missing.status_code == 302 and missing["Location"] == expected
    assert hidden["Location"] == expected.replace("d3", "d2")


def test_editors_follow_source_ids_to_drafts(alice_client, db):
    document = make_document(source_id="wilson/123", status=Document.DRAFT)

    assert alice_client.get("/source/wilson/123")["Location"] == document.get_absolute_url()


@pytest.mark.parametrize("source_id", ["wilson/123", "frus1964-68v30/ch1", "../../etc"])
def test_other_unknown_source_ids_are_404s(client, db, source_id):
    make_document(source_id="wilson/123", status=Document.WITHDRAWN)

    assert client.get(f"/source/{source_id}").status_code == 404


def test_a_document_whose_status_changes_to_withdrawn_disappears_everywhere(client, db):
    document = make_document(source_id="wilson/9")
    attachment = make_attachment(document)
    actions.do_withdraw_document(document, acting_user=None, via="test")

    for path in (document.get_absolute_url(), "/source/wilson/9",
                 f"/document/{document.pk}/files/{attachment.pk}/"):
        assert client.get(path).status_code == 404
