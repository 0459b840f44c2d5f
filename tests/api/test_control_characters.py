"""API writes refuse control characters in every text field, naming the field (the back
office's forms; see declassified.archive.control_chars)."""

from __future__ import annotations

import pytest

from declassified.archive.models import Document

pytestmark = pytest.mark.django_db
CONTROLS = ["\x07", "\x1b", "\x0b", "\x7f", "\x85", "\x9b"]


@pytest.mark.parametrize("control", CONTROLS)
def test_the_api_refuses_a_title_with_a_control_character(alice_api, control):
    response = alice_api.post("/api/v1/documents", {"title": f"Ca{control}ble", "summary": "ok"})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["title"]
    assert f"U+{ord(control):04X}" in response.json()["fields"]["title"][0]
    assert not Document.objects.exists()


def test_the_api_refuses_control_characters_in_every_text_field(alice_api):
    response = alice_api.post("/api/v1/documents", {
        "title": "Cable", "summary": "a\x1bb", "classification": "\x08Secret",
        "date_detail": "noon\x7f",
    })

    assert response.status_code == 400
    assert sorted(response.json()["fields"]) == ["classification", "date_detail", "summary"]


def test_tab_newline_and_carriage_return_are_text(alice_api):
    response = alice_api.post("/api/v1/documents", {"title": "Cable", "summary": "a\tb\r\nc"})

    assert response.status_code == 201
