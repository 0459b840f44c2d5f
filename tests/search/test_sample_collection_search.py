"""Searching the sample collection (`declassified load-samples`), as a reader would try it."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from declassified.archive.models import Collection
from tests.search.conftest import indexed

pytestmark = pytest.mark.django_db


@pytest.fixture
def split():
    call_command("load_samples", stdout=io.StringIO())
    indexed()
    return Collection.objects.get(title="Sino-Soviet Split, 1960-1984")


def test_kosygin_finds_the_four_documents_whose_titles_name_him(client, split):
    data = client.get(reverse("api:search"), {"q": "Kosygin", "collection": split.pk}).json()
    assert data["total"] == 4
    assert all("Kosygin" in hit["title"] for hit in data["results"])
    assert all("<mark>Kosygin</mark>" in hit["snippet"] for hit in data["results"])


def test_the_collections_date_filter_shows_1964_and_1965(client, split):
    data = client.get(reverse("api:search"), {"collection": split.pk}).json()
    assert data["total"] == 20
    assert [(d["label"], d["count"]) for d in data["facets"]["date"]] == [
        ("1964", 1), ("1965", 19)]


def test_kosygin_also_finds_the_frus_samples_whose_full_texts_name_him(client, split):
    data = client.get(reverse("api:search"), {"q": "Kosygin"}).json()
    frus = [hit for hit in data["results"] if "Kosygin" not in hit["title"]]
    assert data["total"] == 7 and len(frus) == 3
    assert all(hit["id"] > 100 for hit in frus)  # the FRUS samples' record IDs


def test_the_search_page_highlights_kosygin_and_counts_four(client, split):
    page = client.get(reverse("web:search"), {"q": "Kosygin", "collection": split.pk}
                      ).content.decode()
    assert len(re.findall(r"<mark>Kosygin</mark>", page)) >= 4
    assert re.search(r"\b4 documents\b", page)
