"""The search's field vocabulary: the name of every filter, facet and searched field, and
the index field behind it.

A new filter starts here: its name in FILTERS, its kind (ID_FACETS or VALUE_FILTERS), its
title and how many values its facet shows; then engine/entries.py fills its field and
docs/search.md describes it. Plain constants: this module imports nothing, so every layer
may import it.
"""

from __future__ import annotations

# Document statuses as the index holds them (the raw `status` field).
DOCUMENT_STATUSES = ("published", "draft", "withdrawn")

# The filters (URL parameters of the page and the API), in the order their facets are shown.
FILTERS = ("collection", "type", "language", "translation_language", "subject", "person",
           "place", "archive", "classification")
# Filters by record ID: (u64 field, filtered on and counted; string field of "id\x1flabel"
# terms, where the labels of the counted IDs are looked up in the term dictionary).
ID_FACETS = {
    "collection": ("collection", "collection_facet"),
    "subject": ("subject", "subject_facet"),
    "person": ("person", "person_facet"),
    "place": ("place", "place_facet"),
    "archive": ("archive", "archive_facet"),
}
ID_FILTERS = tuple(ID_FACETS)
# Filters by a literal value: one raw string field of the same name, indexed and counted.
VALUE_FILTERS = ("type", "language", "translation_language", "classification")
FACET_TITLES = {
    "collection": "Collection", "type": "Document type", "language": "Original language",
    "translation_language": "Translation language", "subject": "Subject",
    "person": "Person or organization", "place": "Place", "archive": "Original archive",
    "classification": "Classification",
}
# How many values of each facet a search shows (the most frequent).
FACET_LIMITS = {"collection": 10, "subject": 10, "person": 10, "place": 10, "archive": 10,
                "type": 20, "language": 20, "translation_language": 20, "classification": 20}


def facet_field(name: str) -> str:
    """The fast field a facet is counted on."""
    return ID_FACETS[name][0] if name in ID_FACETS else name


# Analysed fields searched by plain words, with their BM25 boosts. Texts are in "body" or,
# when they contain Cyrillic letters, in "body_ml" (see language/analysis.py: same terms,
# less work). The OCR text of the pages (one value a page) is in "ocr" / "ocr_ml" the same
# way, weighted below every human text: a machine reading has misread words, and a
# document whose people wrote the word down is the better answer.
TEXT_FIELDS = {"title": 6.0, "summary": 2.0, "names": 2.0, "body": 1.0, "body_ml": 1.0,
               "source": 1.0, "ocr": 0.5, "ocr_ml": 0.5}
# Analysed with the English analyser only (their Cyrillic twins take the rest).
ENGLISH_ONLY_FIELDS = ("body", "ocr")
# The query language's field filters (`person:zhou`) and the analysed field behind each.
FIELD_FILTERS = {
    "title": "title",
    "person": "f_person",
    "place": "f_place",
    "subject": "f_subject",
    "collection": "f_collection",
    "type": "f_type",
    "lang": "f_lang",
    "archive": "f_archive",
    "number": "f_number",  # a document's number in its edition: number:100
}
QUERY_FIELDS = tuple(FIELD_FILTERS)
# Analysed field → its word-pair twin (see language/pairs.py). Short fields (names, source
# citation) are left out: position checks over a few words per document are cheap.
PAIR_FIELDS = {"title": "title_pairs", "summary": "summary_pairs", "body": "body_pairs",
               "body_ml": "body_pairs"}
