"""Searching through the facade against a real index built from the real database."""

import pytest

from declassified.archive import actions
from declassified.archive.models import Document
from tests.factories import make_collection, make_document, make_person, make_place
from tests.search.conftest import add_text, find, ids, indexed

pytestmark = pytest.mark.django_db


def test_it_finds_words_in_title_summary_text_and_names():
    zhou = make_person("Zhou Enlai")
    by_title = make_document(title="Conversation with Kosygin")
    by_summary = make_document(title="A cable", summary="Kosygin arrived in Hanoi.")
    by_text = make_document(title="Minutes", text="<p>Then <em>Kosygin</em> spoke.</p>")
    by_person = make_document(title="Notes", people=[zhou])
    make_document(title="Unrelated cable")
    indexed()
    assert ids(find("kosygin")) == {by_title.pk, by_summary.pk, by_text.pk}
    assert ids(find("enlai")) == {by_person.pk}


def test_title_matches_rank_first():
    in_text = make_document(title="Minutes", text="Vietnam Vietnam Vietnam was discussed")
    in_title = make_document(title="Report on Vietnam")
    indexed()
    assert [hit.id for hit in find("vietnam").hits] == [in_title.pk, in_text.pk]


def test_it_hides_drafts_and_withdrawn_documents_from_the_public(alice):
    public = make_document(title="Kosygin public", subjects=[])
    draft = make_document(title="Kosygin draft", status=Document.DRAFT, document_type="Secret memo")
    withdrawn = make_document(title="Kosygin withdrawn", status=Document.WITHDRAWN)
    indexed()
    result = find("kosygin")
    assert ids(result) == {public.pk} and result.total == 1
    assert result.facets["type"] == []
    assert all("draft" not in str(hit.snippet) for hit in result.hits)
    assert ids(find("kosygin", status="all")) == {public.pk}  # the public cannot ask for more
    assert ids(find("kosygin", alice, status="all")) == {public.pk, draft.pk, withdrawn.pk}
    assert ids(find("kosygin", alice, status="draft")) == {draft.pk}
    assert ids(find("kosygin", alice)) == {public.pk}


def test_withdrawing_removes_a_document_once_the_outbox_is_applied(alice):
    document = make_document(title="Kosygin memorandum", document_type="Memorandum")
    indexed()
    assert find("kosygin").total == 1
    assert [(v.value, v.count) for v in find().facets["type"]] == [("Memorandum", 1)]
    actions.do_withdraw_document(document, acting_user=alice)
    assert find("kosygin").total == 1  # the index follows only when the outbox is applied
    assert indexed() == 1
    assert find("kosygin").total == 0
    assert find().facets["type"] == [] and find().date_buckets == []  # no stale cached counts


def test_deleted_documents_leave_the_index(alice):
    document = make_document(title="Kosygin memorandum")
    indexed()
    actions.do_delete_document(document, acting_user=alice)
    indexed()
    assert find("kosygin").total == 0


def test_renaming_a_person_reindexes_their_documents():
    # Not a Russian name: a renamed Kosygin keeps his other spellings as variants.
    person = make_person("Thomas Ainsworth")
    document = make_document(title="Notes", people=[person])
    indexed()
    person.name = "Tom Ainsworth"
    actions.do_save_entity(person, acting_user=None, via="test")
    indexed()
    assert ids(find("person:tom")) == {document.pk}
    assert find("person:thomas").total == 0


def test_phrase_or_not_and_prefix():
    a = make_document(title="Soviet assistance to Vietnam")
    b = make_document(title="Assistance of the Soviet Union")
    c = make_document(title="Deployments in Laos")
    indexed()
    assert ids(find('"soviet assistance"')) == {a.pk}
    assert ids(find("soviet assistance")) == {a.pk, b.pk}
    assert ids(find("vietnam OR laos")) == {a.pk, c.pk}
    assert ids(find("soviet -vietnam")) == {b.pk}
    assert ids(find("deploy*")) == {c.pk}
    assert ids(find("-soviet")) == {c.pk}


def test_field_filters_search_only_their_field():
    hanoi = make_place("Hanoi")
    zhou = make_person("Zhou Enlai")
    collection = make_collection("Sino-Soviet Split")
    a = make_document(title="Cable about Zhou", document_type="Cable", places=[hanoi])
    b = make_document(title="Minutes", document_type="Minutes", people=[zhou],
                      collections=[collection])
    indexed()
    assert ids(find("zhou")) == {a.pk, b.pk}
    assert ids(find("person:zhou")) == {b.pk}
    assert ids(find('person:"Zhou Enlai"')) == {b.pk}
    assert ids(find("title:zhou")) == {a.pk}
    assert ids(find("place:hanoi")) == {a.pk}
    assert ids(find("type:cable")) == {a.pk}
    assert ids(find('collection:"sino-soviet"')) == {b.pk}
    assert ids(find("-person:zhou")) == {a.pk}


def test_date_in_the_query_filters_by_date():
    early = make_document(title="Cable", date="1962-05-01")
    late = make_document(title="Cable", date="1966-01-01")
    indexed()
    assert ids(find("cable date:1962..1965")) == {early.pk}
    assert ids(find("date:1966-01")) == {late.pk}


def test_a_russian_query_finds_an_inflected_russian_transcript():
    document = make_document(title="Record of talks")
    add_text(document, "<p>Во время переговоров стороны обсудили помощь.</p>",
             language="ru", kind="transcript")
    indexed()
    assert ids(find("переговоры")) == {document.pk}
    result = find("помощи")
    assert ids(result) == {document.pk}
    assert "<mark>помощь</mark>" in result.hits[0].snippet


def test_yo_and_ye_are_the_same_letter_and_accents_fold():
    document = make_document(title="Ещё одна ёлка", summary="Réunion à Genève")
    indexed()
    assert ids(find("елка")) == {document.pk}
    assert ids(find("ЁЛКА")) == {document.pk}
    assert ids(find("geneve reunion")) == {document.pk}


def test_a_two_character_chinese_query_finds_chinese_text():
    document = make_document(title="Talks")
    add_text(document, "<p>周恩来总理与柯西金会谈。</p>", language="zh", kind="transcript")
    make_document(title="Other", text="Nothing Chinese here")
    indexed()
    assert ids(find("会谈")) == {document.pk}
    assert ids(find("柯西金")) == {document.pk}
    assert ids(find("周")) == {document.pk}
    assert find("金总").total == 0
    assert "<mark>会谈</mark>" in find("会谈").hits[0].snippet


def test_snippets_escape_the_text_and_mark_only_matches():
    make_document(title="Kosygin <script>", summary="", text="&lt;b&gt;Kosygin&lt;/b&gt; & Mao")
    indexed()
    hit = find("kosygin").hits[0]
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<b>" not in hit.snippet and "&lt;b&gt;<mark>Kosygin</mark>&lt;/b&gt;" in hit.snippet
    assert "&amp; Mao" in hit.snippet


def test_snippets_come_from_where_the_words_are():
    filler = " ".join(["filler"] * 300)
    make_document(title="Long minutes", text=f"{filler} the Kosygin proposal {filler}")
    indexed()
    snippet = find("kosygin").hits[0].snippet
    assert snippet.startswith("… ") and "the <mark>Kosygin</mark> proposal" in snippet
    assert len(snippet) < 400


def test_sorting_by_date_and_title_and_undated_last():
    b = make_document(title="Bravo", date="1965-01-01")
    a = make_document(title="alpha", date="1966-01-01")
    u = make_document(title="Charlie", date="")
    indexed()
    assert [h.id for h in find(sort="date").hits] == [b.pk, a.pk, u.pk]
    assert [h.id for h in find(sort="-date").hits] == [a.pk, b.pk, u.pk]
    assert [h.id for h in find(sort="title").hits] == [a.pk, b.pk, u.pk]
    assert [h.id for h in find().hits] == [b.pk, a.pk, u.pk]  # no words: by date


def test_results_come_twenty_a_page_with_the_total():
    for n in range(25):
        make_document(title=f"Cable {n}", date=f"1965-01-{n + 1:02d}")
    indexed()
    first, second = find("cable", sort="date"), find("cable", sort="date", page="2")
    assert (first.total, len(first.hits), len(second.hits), first.pages) == (25, 20, 5, 2)
    assert not ids(first) & ids(second)


def test_hits_carry_what_a_result_shows():
    document = make_document(title="Kosygin cable", date="1965-03", summary="A summary.")
    indexed()
    hit = find("kosygin").hits[0]
    assert (hit.id, hit.url) == (document.pk, document.get_absolute_url())
    assert (hit.date, hit.display_date, hit.summary) == ("1965-03", "March 1965", "A summary.")


def test_possessives_find_the_name_and_phrases_keep_their_shape():
    document = make_document(title="Minutes", text="<p>Kosygin’s proposal on Vietnam.</p>")
    indexed()
    assert ids(find("Kosygin's")) == ids(find("kosygin")) == {document.pk}
    assert ids(find('"Kosygin\'s proposal"')) == {document.pk}
    assert "<mark>Kosygin’s</mark>" in find("kosygin").hits[0].snippet
