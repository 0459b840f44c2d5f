"""The document page carries the citation metadata and the "Cite this document" section."""

from __future__ import annotations

import html

from declassified.archive.models import Document
from tests.citations.conftest import CENTRAL_COMMITTEE
from tests.citations.embedded import embedded_metadata
from tests.factories import make_document


def test_the_document_page_yields_a_manuscript_record(client, cable):
    response = client.get(f"/document/{cable.pk}/")

    record = embedded_metadata(response.content.decode())
    assert record["itemType"] == "manuscript"
    assert record["title"] == cable.title
    assert record["date"] == "1965/03/05"
    assert record["creators"] == [CENTRAL_COMMITTEE, "Zhou Enlai"]
    [data] = [d for d in record["json_ld"] if d["@type"] == "ArchiveComponent"]
    assert data["holdingArchive"]["name"] == "Archive of the Ministry of Foreign Affairs of the PRC"


def test_the_page_shows_the_three_styles_and_the_downloads(client, cable):
    page = client.get(f"/document/{cable.pk}/").content.decode()
    api = client.get(f"/api/v1/documents/{cable.pk}/citation", {"style": "mla"}).json()

    assert '<h2 id="cite-h">Cite this document</h2>' in page
    for heading in ("Chicago (notes and bibliography)", "MLA", "APA"):
        assert f">{heading}</h3>" in page
    assert api["html"] in page
    assert html.escape(api["text"]) in page  # the plain text to copy
    for suffix in ("bib", "ris", "json"):
        assert f'href="/document/{cable.pk}/cite.{suffix}"' in page


def test_a_hostile_title_stays_text_on_the_page(client, db):
    document = make_document(title="</script><script>alert(1)</script>")

    page = client.get(f"/document/{document.pk}/").content.decode()

    assert "<script>alert(1)" not in page


def test_an_editor_previewing_a_draft_gets_its_citation_too(alice_client):
    document = make_document(status=Document.DRAFT, title="Draft cable")

    page = alice_client.get(f"/document/{document.pk}/").content.decode()

    assert '<meta name="citation_title" content="Draft cable">' in page


def test_the_citation_parts_add_no_queries_to_the_document_page(
        cable, rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from declassified.archive import queries

    request = rf.get(f"/document/{cable.pk}/")
    document = queries.document_for_page(cable.pk, AnonymousUser())  # what the page loads
    context = {"document": document, "request": request}

    with django_assert_num_queries(0):
        meta = render_to_string("web/includes/document_meta.html", context, request=request)
        block = render_to_string("web/includes/document_citation.html", context, request=request)

    assert '<meta name="citation_title"' in meta and "Soviet Reactions" in meta
    assert "Cite this document" in block and f"/document/{cable.pk}/cite.bib" in block


def test_the_document_page_costs_a_bounded_number_of_queries(
        client, cable, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = client.get(f"/document/{cable.pk}/")

    assert response.status_code == 200
    assert "Cite this document" in response.content.decode()
