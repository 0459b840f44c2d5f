"""A real FRUS volume's people get their other spellings on import, and the sample archive with
it answers a search for one spelling with the documents that use another (issue 17).

Skipped only when the corpus is absent (CI has it: ../shared/corpus beside the checkout).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from declassified import search
from declassified.archive.models import Document, Person
from declassified.ingest.samples import load_samples
from tests.ingest.frus.test_corpus import VOLUMES, import_volumes

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not VOLUMES.is_dir(), reason=f"the FRUS corpus is not at {VOLUMES}"),
    pytest.mark.django_db,
]


def find(q: str, **params):
    return search.search({"q": q, "page_size": 100, **params}, AnonymousUser())


@pytest.fixture
def archive():
    load_samples()
    import_volumes("frus1961-63v22")
    search.apply_pending()


def test_frus_people_get_pinyin_hanzi_and_cyrillic_spellings(archive):
    chou = Person.objects.get(name="Chou En-lai (Zhou Enlai)")
    assert {"Zhou Enlai", "周恩来", "周恩來"} <= set(chou.variants)
    khrushchev = Person.objects.get(name="Khrushchev, Nikita Sergeyevich")
    assert "Хрущев, Никита Сергеевич" in khrushchev.variants
    chen = Person.objects.get(name="Ch'en Ch'eng")
    assert "Chen Cheng" in chen.variants
    assert Person.objects.get(name="Ball, George W.").variants == ["George W. Ball"]


def finds_the_documents_tagged(q: str, **tag) -> list[str]:
    """What else the search for `q` searched, once it is checked to find every published
    document with this tag."""
    tagged = set(Document.objects.filter(status="published", **tag).values_list("pk", flat=True))
    result = find(q)
    found = {hit.id for hit in result.hits}
    for page in range(2, result.pages + 1):  # the volume and the samples: over a page of hits
        found |= {hit.id for hit in find(q, page=str(page)).hits}
    assert tagged and tagged <= found
    return result.expanded


def test_chou_en_lai_finds_the_samples_about_zhou_enlai(archive):
    expanded = finds_the_documents_tagged("Chou En-lai", people__name="Zhou Enlai")
    assert "Zhou Enlai" in expanded
    assert all("(" not in spelling for spelling in expanded)
    assert find("Chou En-lai", literal="1").expanded == []


def test_peking_finds_the_documents_naming_beijing(archive):
    assert "Beijing" in finds_the_documents_tagged("Peking", places__name="Beijing")
