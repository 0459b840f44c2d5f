"""The CSL-JSON record of a document (/document/<id>/cite.json): the one source every citation
format and style is made from."""

from __future__ import annotations

import pytest

from tests.citations.conftest import CENTRAL_COMMITTEE, csl_item
from tests.factories import make_document


def test_it_serves_one_manuscript_item_as_csl_json(client, cable):
    response = client.get(f"/document/{cable.pk}/cite.json")

    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    assert f'filename="declassified-{cable.pk}.json"' in response["Content-Disposition"]
    item = csl_item(client, cable)
    assert item["id"] == f"declassified-{cable.pk}"
    assert item["type"] == "manuscript"
    assert item["title"] == cable.title


def test_it_keeps_corporate_and_personal_authors_whole(client, cable):
    item = csl_item(client, cable)

    assert item["author"] == [{"literal": CENTRAL_COMMITTEE}, {"literal": "Zhou Enlai"}]


def test_it_names_the_archive_and_the_location_in_it(client, cable):
    item = csl_item(client, cable)

    assert item["archive"] == "Archive of the Ministry of Foreign Affairs of the PRC"
    assert item["archive_location"] == "PRC FMA 109-03794-01, 1-4"
    assert item["archive-place"] == "Beijing"
    assert item["genre"] == "Telegram"
    assert item["source"] == "Declassified"  # the digital archive, not a publisher
    assert "publisher" not in item and "container-title" not in item
    assert item["note"] == "Original classification: Top Secret"
    assert item["abstract"] == cable.summary


def test_its_url_is_the_canonical_page_and_it_was_accessed_today(client, cable):
    from django.utils import timezone

    item = csl_item(client, cable)

    assert item["URL"] == f"http://testserver{cable.get_absolute_url()}"
    today = timezone.localdate()
    assert item["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}


@pytest.mark.parametrize(("edtf", "issued"), [
    ("1965-03-05", {"date-parts": [[1965, 3, 5]]}),
    ("1965-03", {"date-parts": [[1965, 3]]}),
    ("1965", {"date-parts": [[1965]]}),
    ("1965-03~", {"date-parts": [[1965, 3]], "circa": True}),
    ("1965?", {"date-parts": [[1965]], "circa": True}),
    ("1964/1965", {"date-parts": [[1964], [1965]]}),
    ("1964-11/1965-02-10", {"date-parts": [[1964, 11], [1965, 2, 10]]}),
])
def test_it_maps_each_kind_of_edtf_date_to_csl(client, db, edtf, issued):
    document = make_document(date=edtf)

    assert csl_item(client, document)["issued"] == issued


def test_it_states_an_approximate_date_in_the_note(client, db):
    document = make_document(date="1965-03~", classification="Secret")

    assert csl_item(client, document)["note"] == (
        "Original classification: Secret\nDate: circa March 1965 (EDTF 1965-03~)")


def test_an_undated_document_has_no_issued_date_but_a_note(client, db):
    document = make_document(date="")

    item = csl_item(client, document)

    assert "issued" not in item
    assert item["note"] == "Undated"


def test_a_document_without_authors_or_archive_leaves_those_keys_out(client, db):
    document = make_document(summary="")

    item = csl_item(client, document)

    for key in ("author", "archive", "archive_location", "archive-place", "genre",
                "translator", "abstract", "note"):
        assert key not in item
