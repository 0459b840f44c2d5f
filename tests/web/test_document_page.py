"""The document page: texts in tabs, tags, information, neighbours, access and redirects."""

from __future__ import annotations

import re

import pytest

from declassified.archive import actions
from declassified.archive.models import Document, Language, Person
from tests.factories import (
    make_attachment,
    make_collection,
    make_document,
    make_person,
    make_place,
    make_repository,
    make_subject,
    make_text,
)


@pytest.fixture
def cable(db):
    archive = make_repository(abbreviation="PRC FMA")
    collection = make_collection("Sino-Soviet Split, 1960-1984")
    document = make_document(
        title="Record of the First Contact between Premier Zhou and Kosygin",
        date="1965-02-06", summary="Zhou and Kosygin meet.", summary_generated=True,
        document_type="Memorandum of Conversation", classification="Top Secret",
        source_citation="PRC FMA 109-03957-01", repository=archive, rights="Public domain.",
        funding="Funded by a foundation.", date_detail="10:00 a.m.", source_id="frus1964-68v30/d1",
        source_url="https://history.state.gov/historicaldocuments/frus1964-68v30/d1",
        collections=[collection], authors=[make_person("Zhou Enlai")],
        places=[make_place("Beijing")], subjects=[make_subject("Vietnam War")],
        people=[make_person("Alexei Kosygin", kind=Person.ORGANIZATION)],
    )
    document.contributors.set([make_person("Wilson Center")])
    document.languages.set([Language.objects.get_or_create(code="zh", name="Chinese")[0]])
    make_text(document, "<p>English words<sup><a href=\"#fn1\">1</a></sup></p>",
              translator="David Wolff", footnotes='<p id="fn1">A footnote.</p>')
    make_text(document, "<p>中文原文</p>", kind="transcript", language="zh")
    make_attachment(document, "scan.pdf")
    return document


def test_it_shows_date_title_summary_and_information(client, cable):
    response = client.get(cable.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "February 6, 1965" in html and "10:00 a.m." in html
    assert "Summary generated from the text." in html
    for value in ("PRC FMA 109-03957-01", "Memorandum of Conversation", "Top Secret",
                  "Public domain.", "Funded by a foundation.", "Chinese", f"<dd>{cable.pk}</dd>",
                  'href="https://history.state.gov/historicaldocuments/frus1964-68v30/d1"'):
        assert value in html
    assert f'<a href="{cable.repository.get_absolute_url()}">' in html
    assert f'<link rel="canonical" href="http://testserver{cable.get_absolute_url()}">' in html
    assert '<meta name="citation_title"' in html and "Cite this document" in html


def test_every_tag_links_to_its_entity_page(client, cable):
    html = client.get(cable.get_absolute_url()).content.decode()

    for heading in ("Authors", "Places", "Subjects", "People &amp; organizations", "Contributors"):
        assert f">{heading}</h2>" in html
    tags = [*cable.authors.all(), *cable.places.all(), *cable.subjects.all(),
            *cable.people.all(), *cable.contributors.all()]
    for tag in tags:
        assert f'<a href="{tag.get_absolute_url()}">{tag.name}</a>' in html
        assert client.get(tag.get_absolute_url()).status_code == 200


def test_the_translation_is_the_first_tab_with_translator_and_footnotes(client, cable):
    html = client.get(cable.get_absolute_url()).content.decode()

    assert "English words" in html and "中文原文" not in html
    assert "Translated by David Wolff" in html
    assert '<p id="fn1">A footnote.</p>' in html
    assert 'aria-current="true" class="active">English translation</a>' in html
    assert "Chinese transcript</a>" in html and "Original files</a>" in html


def test_every_text_and_the_files_are_reachable_without_javascript(client, cable):
    transcript = cable.texts.get(kind="transcript")
    attachment = cable.attachments.get()

    transcript_html = client.get(cable.get_absolute_url(), {"text": transcript.pk}).content.decode()
    files_html = client.get(cable.get_absolute_url(), {"text": "files"}).content.decode()

    assert "中文原文" in transcript_html and 'lang="zh"' in transcript_html
    assert f'href="?text={transcript.pk}#texts"' in transcript_html
    assert f'href="/document/{cable.pk}/files/{attachment.pk}/"' in files_html


@pytest.mark.parametrize("params", [
    {"text": "bad"}, {"text": "99999999999999999999"}, {"collection": "xyz"},
    {"collection": "99999999999999999999999"}, {"collection": "-3"}, {"page": "abc"},
])
def test_bad_parameters_fall_back_instead_of_failing(client, cable, params):
    response = client.get(cable.get_absolute_url(), params)

    assert response.status_code == 200
    assert "English words" in response.content.decode()


@pytest.mark.parametrize("status", [Document.DRAFT, Document.WITHDRAWN])
def test_hidden_documents_are_the_same_404_as_unknown_ones(client, charlie, cable, status):
    actions.do_set_status([cable], status, acting_user=None, via="test")
    unknown = client.get("/document/987654/").content

    for viewer in (None, charlie):
        if viewer:
            client.force_login(viewer)
        for path in (f"/document/{cable.pk}/", cable.get_absolute_url(),
                     f"/document/{cable.pk}/stale-slug/"):
            response = client.get(path)
            assert response.status_code == 404
            assert cable.title.encode() not in response.content
            assert response.content.replace(b"987654", b"") == unknown.replace(b"987654", b"")


def test_editors_see_drafts_with_a_status_banner(alice_client, cable):
    actions.do_set_status([cable], Document.DRAFT, acting_user=None, via="test")

    html = alice_client.get(cable.get_absolute_url()).content.decode()

    assert 'class="status-banner"' in html and "<strong>Draft</strong>" in html


def test_a_stale_slug_redirects_permanently_and_the_bare_id_renders(client, cable):
    stale = client.get(f"/document/{cable.pk}/old-title/?collection=1")
    bare = client.get(f"/document/{cable.pk}/")

    assert stale.status_code == 301
    assert stale["Location"] == f"{cable.get_absolute_url()}?collection=1"
    assert bare.status_code == 200
    canonical = f'rel="canonical" href="http://testserver{cable.get_absolute_url()}"'
    assert canonical in bare.content.decode()


@pytest.mark.parametrize("path", ["/document/0/", "/document/99999999999999999999999/",
                                  "/document/2147483648/x/"])
def test_impossible_ids_are_404s(client, db, path):
    assert client.get(path).status_code == 404


def test_related_documents_show_only_published_ones(client, cable):
    public = make_document(title="Public sibling")
    draft = make_document(title="Draft sibling", status=Document.DRAFT)
    cable.related.set([public, draft])

    html = client.get(cable.get_absolute_url()).content.decode()

    assert "Public sibling" in html and "Draft sibling" not in html


def test_previous_and_next_follow_the_collections_date_order(client, db):
    first, second = make_collection("First"), make_collection("Second")
    early = make_document(title="Early", date="1964", collections=[first, second])
    make_document(title="Hidden middle", date="1964-06", status=Document.DRAFT,
                  collections=[first])
    middle = make_document(title="Middle", date="1965-01-01", collections=[first, second])
    undated = make_document(title="Undated one", date="", collections=[first])
    late_in_second = make_document(title="Late", date="1970", collections=[second])

    in_first = client.get(middle.get_absolute_url()).content.decode()
    in_second = client.get(middle.get_absolute_url(), {"collection": second.pk}).content.decode()
    at_end = client.get(undated.get_absolute_url()).content.decode()

    assert neighbour_titles(in_first) == {"prev": "Early", "next": "Undated one"}
    assert neighbour_titles(in_second) == {"prev": "Early", "next": "Late"}
    assert f"?collection={second.pk}" in in_second
    assert neighbour_titles(at_end) == {"prev": "Middle"}
    assert "Hidden middle" not in in_first
    assert early and late_in_second


def neighbour_titles(html: str) -> dict[str, str]:
    return dict(re.findall(r'rel="(prev|next)" href="[^"]*"><span class="meta">[^<]*</span> ([^<]+)'
                           r"</a>", html))


def test_it_renders_with_a_bounded_number_of_queries(client, cable, django_assert_max_num_queries):
    collection = cable.collections.get()
    for n in range(30):
        tag = make_subject(f"Subject {n}")
        cable.subjects.add(tag)
        cable.people.add(make_person(f"Person {n}"))
        cable.related.add(make_document(title=f"Related {n}", collections=[collection]))

    with django_assert_max_num_queries(15):  # 14, and the related documents' editions
        response = client.get(cable.get_absolute_url())

    assert response.status_code == 200
    assert "Subject 29" in response.content.decode()


def test_a_unicode_slug_is_stable_and_never_loops(client, db):
    document = make_document(title="周恩来与柯西金的第一次接触")

    response = client.get(document.get_absolute_url())

    assert document.slug == "周恩来与柯西金的第一次接触"
    assert response.status_code == 200
    assert client.get(f"/document/{document.pk}/old/")["Location"] == document.get_absolute_url()
