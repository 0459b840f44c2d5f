"""The citation API renders exactly what citeproc-py gives for the document's CSL-JSON.

The reference rendering below calls citeproc-py directly on the item downloaded from
/document/<id>/cite.json, with the style files the application ships (local copies of the
official ones, citations/styles), after writing &, < and > in its strings as character
references (citeproc-py's HTML formatter does not escape field values itself; see
declassified.citations.render), and with a comma or period after a closing quotation mark
moved inside it (en-US punctuation-in-quote) and no comma before a date range's dash. It
runs in this process, so it uses citeproc-py as the application configures it: with the
corrections of declassified.citations._citeproc_fix (substituted variables are suppressed,
CSL 1.0.2, which `test_an_authorless_document_names_its_title_once` pins down; titles keep
their case).
"""

from __future__ import annotations

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from declassified.citations.render import STYLES, corrected_punctuation, style_path
from tests.citations.conftest import csl_item
from tests.factories import make_document


def escaped(value):
    if isinstance(value, str):
        return value.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")
    if isinstance(value, dict):
        return {key: escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escaped(item) for item in value]
    return value


def citeproc_rendering(item: dict, style: str, output=formatter.html) -> tuple[str, str]:
    """(note, bibliography entry) straight from citeproc-py."""
    csl_style = CitationStylesStyle(style_path(STYLES[style]), validate=False)
    source = CiteProcJSON([escaped(item) if output is formatter.html else item])
    bibliography = CitationStylesBibliography(csl_style, source, output)
    citation = Citation([CitationItem(item["id"])])
    bibliography.register(citation)
    note = str(bibliography.cite(citation, lambda missing: None))
    return corrected_punctuation(note), corrected_punctuation(str(bibliography.bibliography()[0]))


def api_citation(client, document, style: str) -> dict:
    response = client.get(f"/api/v1/documents/{document.pk}/citation", {"style": style})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("style", ["chicago", "mla", "apa"])
@pytest.mark.parametrize(("edtf", "title"), [
    ("1965-03-05", None), ("1965-03~", None), ("1964/1965", None), ("", None),
    ("1965", "U.S. & Soviet <Talks> on the 'Border'"),
])
def test_the_api_gives_citeprocs_rendering_of_the_csl_json(client, cable, style, edtf, title):
    from declassified.archive import actions

    cable.date = edtf
    cable.title = title or cable.title
    actions.do_save_document(cable, acting_user=None, via="test")
    item = csl_item(client, cable)

    citation = api_citation(client, cable, style)

    note, entry = citeproc_rendering(item, style)
    assert citation["html"] == entry
    assert citation["text"] == citeproc_rendering(item, style, formatter.plain)[1]
    if style == "chicago":
        assert citation["note"] == {
            "html": note, "text": citeproc_rendering(item, style, formatter.plain)[0]}
    else:
        assert citation["note"] is None
    assert citation["csl_json"] == f"http://testserver/document/{cable.pk}/cite.json"


def test_chicago_gives_both_a_note_and_a_bibliography_entry(client, cable):
    citation = api_citation(client, cable, "chicago")

    assert citation["note"]["text"].startswith(
        "Central Committee of the Communist Party of the Soviet Union and Zhou Enlai, ")
    assert citation["text"].startswith(
        "Central Committee of the Communist Party of the Soviet Union, and Zhou Enlai. ")
    assert "March 5, 1965" in citation["text"]
    assert "Archive of the Ministry of Foreign Affairs of the PRC, Beijing" in citation["text"]


@pytest.mark.parametrize(("style", "honest_date"), [
    ("chicago", "[March 1965?]"),
    ("mla", "Circa Mar. 1965"),
    ("apa", "(ca. 1965, March)"),
])
def test_an_approximate_date_is_rendered_as_uncertain(client, db, style, honest_date):
    document = make_document(date="1965-03~")

    assert honest_date in api_citation(client, document, style)["text"]


@pytest.mark.parametrize("style", ["chicago", "mla", "apa"])
def test_an_authorless_document_names_its_title_once(client, db, style):
    document = make_document(title="Memorandum on the Border Talks", date="1964/1965")

    citation = api_citation(client, document, style)

    assert citation["text"].count("Memorandum on the Border Talks") == 1
    assert "1964–1965" in citation["text"]


@pytest.mark.parametrize("style", ["chicago", "mla", "apa"])
def test_field_values_cannot_inject_markup(client, db, style):
    document = make_document(title="<script>alert(1)</script> & 42")

    citation = api_citation(client, document, style)

    assert "<script>" not in citation["html"]
    assert "&#60;script&#62;alert(1)&#60;/script&#62; &#38; 42" in citation["html"]
    assert "<script>alert(1)</script> & 42" in citation["text"]


def test_it_defaults_to_chicago(client, cable):
    response = client.get(f"/api/v1/documents/{cable.pk}/citation")

    assert response.json()["style"] == "chicago"


def test_an_unknown_style_is_a_json_400_naming_the_styles(client, cable):
    response = client.get(f"/api/v1/documents/{cable.pk}/citation", {"style": "harvard"})

    assert response.status_code == 400
    assert response.json() == {
        "error": "Unknown citation style 'harvard'; use one of: chicago, mla, apa."}


def test_writing_to_the_citation_api_is_a_json_405(client, cable):
    response = client.post(f"/api/v1/documents/{cable.pk}/citation")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_the_citation_api_does_not_shadow_the_document_api(client, cable):
    from django.urls import resolve

    assert resolve(f"/api/v1/documents/{cable.pk}").view_name == "api:document"
    assert resolve(f"/api/v1/documents/{cable.pk}/citation").view_name == "citations:api"


def test_the_citation_api_costs_a_bounded_number_of_queries(
        client, cable, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/documents/{cable.pk}/citation", {"style": "apa"})

    assert response.status_code == 200
    assert response.json()["style"] == "apa" and "Soviet Reactions" in response.json()["text"]
