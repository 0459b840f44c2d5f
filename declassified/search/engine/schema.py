"""The index schema: its fields, built from the vocabulary, and its version.

Fields are named in declassified.search.vocabulary (what is searched, filtered and counted);
how each is analysed is decided here, with the analysers of language/analysis.py.
"""

from __future__ import annotations

import tantivy

from declassified.search.language.analysis import ENGLISH, MULTILINGUAL
from declassified.search.vocabulary import (
    ENGLISH_ONLY_FIELDS,
    FIELD_FILTERS,
    ID_FACETS,
    PAIR_FIELDS,
    TEXT_FIELDS,
    VALUE_FILTERS,
)

# Bump when the schema or the analysis changes: `check-index` then asks for a reindex.
# 6: contributors in the person facet, non-published status stored; 7: the edition label,
# number:, participants and the dateline place; 8: body texts indexed pre-analysed;
# 9: pairs only of common terms with partners, their postings without frequencies.
SCHEMA_VERSION = 9
# Between the ID and the label in the terms of an ID facet's string field ("17\x1fMao").
LABEL_SEPARATOR = "\x1f"


# The texts go in analysed (engine/entries.py): Tantivy only splits them at the spaces.
PRE_ANALYSED_FIELDS = ("body", "body_ml")


def _tokenizer(name: str) -> str:
    if name in PRE_ANALYSED_FIELDS:
        return "whitespace"
    return ENGLISH if name in ENGLISH_ONLY_FIELDS else MULTILINGUAL


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("status", tokenizer_name="raw", fast=True)
    for name in dict.fromkeys([*TEXT_FIELDS, *FIELD_FILTERS.values()]):
        builder.add_text_field(name, tokenizer_name=_tokenizer(name))
    # Word pairs (language/pairs.py), without frequencies (5.6 of 142.6 MiB at 10,000
    # documents, docs/performance.md): a two-word phrase then ranks by its rarity and the
    # documents' lengths, not by how often each document repeats it.
    for name in dict.fromkeys(PAIR_FIELDS.values()):
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="basic")
    for id_field, facet_field in ID_FACETS.values():
        builder.add_unsigned_field(id_field, indexed=True, fast=True)
        builder.add_text_field(facet_field, tokenizer_name="raw", index_option="basic")
    for name in VALUE_FILTERS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in ("day_earliest", "day_latest"):
        builder.add_integer_field(name, indexed=True, fast=True)
    for name in ("sort_asc", "sort_desc", "updated"):
        builder.add_integer_field(name, fast=True)
    builder.add_unsigned_field("date_bucket", fast=True)
    builder.add_text_field("title_sort", tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_bytes_field("stored", stored=True)
    builder.add_bytes_field("text", stored=True)
    # The pages' OCR text, for snippets; where each page starts in it is in "stored".
    builder.add_bytes_field("ocr_text", stored=True)
    return builder.build()


SCHEMA = build_schema()
