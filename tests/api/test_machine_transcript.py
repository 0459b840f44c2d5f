"""The document detail's `machine_transcript`: OCR text page by page, marked as OCR, as the
OpenAPI document describes it, and never for a document the reader may not see."""

from __future__ import annotations

import jsonschema
import pytest

from declassified.api.openapi import openapi_document
from declassified.archive.models import Document, PageText
from declassified.archive.page_texts import (
    PageReadingValues,
    do_correct_page_text,
    do_record_page_reading,
)
from tests.factories import make_document, make_document_with_typed_pages

pytestmark = pytest.mark.django_db

PAGE_ONE = ["TELEGRAM FROM MOSCOW", "Ambassador Thompson reports"]
PAGE_TWO = ["Khrushchev received me today", "SECRET"]


def detail(client, document) -> dict:
    response = client.get(f"/api/v1/documents/{document.pk}")
    assert response.status_code == 200
    body = response.json()
    spec = openapi_document()
    root = {"$ref": "#/components/schemas/DocumentDetail", "components": spec["components"]}
    jsonschema.Draft202012Validator(root).validate(body)
    return body


def test_the_detail_has_the_pages_text_marked_as_ocr(client):
    document = make_document_with_typed_pages([PAGE_ONE, PAGE_TWO])
    readings = list(PageText.objects.filter(page__document=document)
                    .order_by("page__position"))
    do_correct_page_text(readings[1], "Khrushchev received me on Monday\nSECRET",
                         acting_user=None, via="tests")

    transcript = detail(client, document)["machine_transcript"]
    assert transcript["kind"] == "ocr"
    assert [p["number"] for p in transcript["pages"]] == [1, 2]
    first, second = transcript["pages"]
    assert "TELEGRAM FROM MOSCOW" in first["text"] and first["corrected"] is False
    assert first["mean_confidence"] == readings[0].mean_confidence
    assert second == {"number": 2, "text": "Khrushchev received me on Monday\nSECRET",
                      "mean_confidence": readings[1].mean_confidence, "corrected": True}
    mean = (readings[0].mean_confidence + readings[1].mean_confidence) / 2
    assert transcript["mean_confidence"] == pytest.approx(mean, abs=0.05)


def test_a_page_not_read_yet_has_no_text_and_a_document_never_read_none(client):
    document = make_document_with_typed_pages([PAGE_ONE, PAGE_TWO], read=False)
    assert detail(client, document)["machine_transcript"] is None
    assert detail(client, make_document())["machine_transcript"] is None

    first = document.pages.order_by("position").first()
    do_record_page_reading(first, PageReadingValues(
        text="", words=[], mean_confidence=None, languages="eng", engine="tests"), via="tests")
    transcript = detail(client, document)["machine_transcript"]
    assert transcript["mean_confidence"] is None
    assert transcript["pages"] == [
        {"number": 1, "text": "", "mean_confidence": None, "corrected": False},
        {"number": 2, "text": None, "mean_confidence": None, "corrected": False},
    ]


def test_the_detail_costs_one_query_more_whatever_the_pages(
    client, django_assert_max_num_queries
):
    document = make_document_with_typed_pages([PAGE_ONE, PAGE_TWO])
    with django_assert_max_num_queries(13):
        detail(client, document)


def test_the_harvest_list_leaves_it_out(client):
    document = make_document_with_typed_pages([PAGE_ONE])
    rows = client.get("/api/v1/documents").json()["results"]
    assert [row["id"] for row in rows] == [document.pk]
    assert "machine_transcript" not in rows[0]


@pytest.mark.parametrize("status", [Document.DRAFT, Document.WITHDRAWN])
def test_an_unpublished_documents_transcript_is_shown_to_editors_only(client, alice, status):
    document = make_document_with_typed_pages([PAGE_ONE], status=status)
    response = client.get(f"/api/v1/documents/{document.pk}")
    assert response.status_code == 404
    assert "TELEGRAM" not in response.content.decode()
    listed = client.get("/api/v1/documents").content.decode()
    assert "TELEGRAM" not in listed
    client.force_login(alice)
    assert "TELEGRAM FROM MOSCOW" in detail(client, document)["machine_transcript"]["pages"][0]["text"]
