"""JSON Schemas of the API's responses and request bodies (OpenAPI 3.1 components).

They state the field names the API promises (see docs/api.md); tests check real responses
against them (schemathesis), so a renamed or dropped field fails there.
"""

from __future__ import annotations

from declassified.api.forms import body_fields, json_kind
from declassified.archive.dates import EDTF_SCHEMA_PATTERN, MAX_EDTF_CHARS
from declassified.archive.fields import concrete_field
from declassified.archive.models import Document

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
INTEGER = {"type": "integer"}
URL = {"type": "string", "format": "uri"}
DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_DAY = {"type": ["string", "null"], "format": "date"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def obj(properties: dict, description: str = "", required: list[str] | None = None) -> dict:
    """An object whose listed properties are all present unless `required` says otherwise."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }
    if description:
        schema["description"] = description
    return schema


def link(label: str = "name") -> dict:
    return obj({"id": INTEGER, label: STRING, "url": URL})


def page_of(item: str) -> dict:
    return obj({
        "results": array(ref(item)),
        "next": {**nullable(URL), "description": "The next page; null on the last one."},
    }, "One page of a list, in record-ID order.")


ENTITY_BASE = {
    "id": INTEGER,
    "name": STRING,
    "slug": STRING,
    "description": STRING,
    "url": {**URL, "description": "The entity's public page."},
    "documents": {**URL, "description": "Its documents: the documents list filtered by it."},
}
DETAIL_COUNT = {"document_count": {
    "type": "integer", "description": "Documents the reader may see (detail only).",
}}

DOCUMENT_ITEM = {
    "id": {"type": "integer", "description": "The record ID; stable, never reused."},
    "date": {"type": "string", "description": "EDTF (1965-03-05, 1965-03~, 1964/1965); "
             "empty when undated."},
    "display_date": {"type": "string", "description": "e.g. 'circa March 1965'."},
    "title": STRING,
    "summary": STRING,
    "number": {"type": "string", "description": "Its number in the documentary edition it is "
               "published in ('100', '72A'); empty for an archival document."},
    "participants": {**array(STRING), "description": "Who took part (a memorandum of "
                     "conversation), one person a string with the office; empty if none."},
    "url": {**URL, "description": "The document's public page."},
}
DOCUMENT_TAGS = {name: array(ref("Link")) for name in (
    "authors", "people", "contributors", "places", "subjects")}
DOCUMENT_FIELDS = DOCUMENT_ITEM | {
    "slug": STRING,
    "date_earliest": {**NULLABLE_DAY, "description": "First day the date may denote."},
    "date_latest": {**NULLABLE_DAY, "description": "Last day the date may denote."},
    "date_detail": STRING,
    "summary_generated": {"type": "boolean"},
    "document_type": STRING,
    "classification": STRING,
    "languages": array(ref("Language")),
    "source_citation": STRING,
    "source_id": NULLABLE_STRING,
    "source_url": STRING,
    "repository": nullable(ref("RepositoryRef")),
    "place_of_origin": nullable(ref("Link")),
    "rights": STRING,
    "funding": STRING,
    "created_at": DATE_TIME,
    "updated_at": DATE_TIME,
    "published_at": {"type": ["string", "null"], "format": "date-time"},
    "collections": array(ref("CollectionLink")),
    "related": array(ref("DocumentLink")),
    "texts": array(ref("Text")),
    "attachments": array(ref("Attachment")),
    "pages": {**array(ref("Page")), "description": "The pages of its originals, in order."},
    "iiif_manifest": {**nullable(URL), "description": "Its IIIF Presentation 3 manifest; "
                      "null when it has no pages."},
    "call_number": {"type": "string", "description": "Where the original archive "
                    "(`repository`) keeps it, e.g. Central Files, POL CHICOM-USSR."},
    "translators": {**array(STRING), "description": "Who translated its texts, each once."},
    "edition": {**nullable(ref("Edition")), "description": "The documentary edition (a "
                "collection) that publishes it, e.g. a FRUS volume; null for an archival "
                "document."},
} | DOCUMENT_TAGS
STATUS = {
    "type": "string", "enum": [s for s, _ in Document.STATUS_CHOICES],
    "description": "Shown only to readers who may see unpublished documents.",
}

COLLECTION_FIELDS = {
    "id": INTEGER,
    "title": STRING,
    "slug": STRING,
    "date_span": {"type": "string", "description": "EDTF, e.g. 1960/1984."},
    "display_date_span": STRING,
    "short_description": STRING,
    "description": {"type": "string", "description": "HTML."},
    "image": nullable(URL),
    "image_caption": STRING,
    "image_credit": STRING,
    "parent": nullable(ref("CollectionLink")),
    "children": array(ref("CollectionLink")),
    "related": array(ref("CollectionLink")),
    "featured": {"type": "boolean"},
    "edition": {**nullable(ref("Edition")), "description": "Its details as a documentary "
                "edition (a published volume of documents); null for other collections."},
    "url": URL,
    "iiif_collection": {**URL, "description": "Its IIIF Presentation 3 Collection: its "
                        "published documents that have pages."},
}

# The back office's forms refuse control characters (archive.control_chars) in every text.
NO_CONTROLS = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
# The forms strip surrounding whitespace (Python's idea of it) before "required" is checked.
NOT_BLANK = "[^\\s\\x1c-\\x1f\\x85]"
_KIND_SCHEMAS: dict[str, dict] = {
    "string": {**STRING, "pattern": NO_CONTROLS},
    "nullable-string": {**NULLABLE_STRING, "pattern": NO_CONTROLS},
    "boolean": {"type": "boolean"},
    "id": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**31 - 1},
    "ids": array({"type": "integer", "minimum": 1, "maximum": 2**31 - 1}),
    "codes": array({"type": "string", "pattern": NO_CONTROLS,
                    "description": "ISO 639 code, e.g. 'en'."}),
}


def document_input(required: list[str]) -> dict:
    """The writable fields, typed as the body checks them; lengths from the model."""
    properties = {}
    for name in body_fields():
        schema = dict(_KIND_SCHEMAS[json_kind(name)])
        if name != "collections":
            model_field = concrete_field(Document, name)
            if model_field.max_length and "string" in str(schema["type"]):
                schema["maxLength"] = model_field.max_length
            if model_field.help_text:
                schema["description"] = str(model_field.help_text)
        properties[name] = schema
    title = {k: v for k, v in properties["title"].items() if k != "pattern"}
    properties["title"] = {**title, "minLength": 1,
                           "allOf": [{"pattern": NO_CONTROLS}, {"pattern": NOT_BLANK}]}
    # Whether the text is valid EDTF only the grammar says (a 400 naming the field); these
    # are the bounds the parser checks first (archive.dates.check_edtf_bounds).
    properties["date"] = {**properties["date"], "maxLength": MAX_EDTF_CHARS,
                          "pattern": EDTF_SCHEMA_PATTERN}
    properties["slug"] = {**properties["slug"], "pattern": "^\\s*[-a-zA-Z0-9_]*\\s*$"}
    schema = obj(properties, required=required)
    schema["additionalProperties"] = False
    return schema


def component_schemas() -> dict:
    """Every schema the paths refer to, by name."""
    return {**part_schemas(), **record_schemas(), **entity_schemas(), **other_schemas()}


def part_schemas() -> dict:
    """Errors and the small objects records are made of."""
    return {
        "Error": obj({
            "error": {"type": "string", "description": "What went wrong, for people."},
            "fields": {
                "type": "object", "additionalProperties": array(STRING),
                "description": "Per body field (\"__all__\" for the whole document), "
                "the problems found; only for invalid request bodies.",
            },
        }, required=["error"]),
        "Link": link(),
        "CollectionLink": link("title"),
        "Edition": obj({
            "id": INTEGER, "title": STRING, "url": {**URL, "description": "Its collection."},
            "series_title": {**STRING, "description": "e.g. Foreign Relations of the United "
                             "States, 1961–1963."},
            "volume_number": {**STRING, "description": 'As printed, e.g. "XXII", "E–13".'},
            "volume_title": STRING,
            "editors": {**array(STRING), "description": "As cited, in order."},
            "publisher": STRING, "publisher_place": STRING,
            "published_year": STRING, "medium": {**STRING, "description": '"print", '
                                                 '"microfiche", "online"…'},
            "source_url": {"type": "string", "description": "The volume's own page; may be "
                           "empty."},
        }, "A documentary edition, as a citation of its documents needs it."),
        "DocumentLink": link("title"),
        "Language": obj({"code": STRING, "name": STRING}),
        "RepositoryRef": obj({
            "id": INTEGER, "name": STRING, "url": URL, "abbreviation": STRING,
            "location": STRING, "website": STRING,
        }),
        "Text": obj({
            "id": INTEGER, "kind": {"type": "string", "enum": ["translation", "transcript"]},
            "language": ref("Language"), "translator": STRING,
            "body": {"type": "string", "description": "Sanitised HTML."},
            "footnotes": {"type": "string", "description": "Sanitised HTML."},
        }),
        "Attachment": obj({
            "id": INTEGER, "title": STRING, "url": URL,
            "sha256": {"type": "string", "description": "Hex SHA-256 of the file."},
            "size": {"type": "integer", "description": "Bytes."}, "content_type": STRING,
        }),
        "MachineTranscript": obj({
            "kind": {"type": "string", "enum": ["ocr"],
                     "description": "Always ocr: read by machine, it may contain errors."},
            "mean_confidence": {"type": ["number", "null"], "description": "0-100, the mean "
                                "of the read pages'; null when no page has words."},
            "pages": array(ref("MachineTranscriptPage")),
        }, "What OCR read on the document's pages (an editor's correction where there is "
           "one), in reading order."),
        "MachineTranscriptPage": obj({
            "number": {"type": "integer", "description": "1-based, as in pages."},
            "text": {"type": ["string", "null"], "description": "Plain text, lines split by "
                     "newlines; empty: no text found; null: not read by OCR yet."},
            "mean_confidence": {"type": ["number", "null"], "description": "0-100, of the "
                                "machine's reading (also when corrected); null: no words."},
            "corrected": {"type": "boolean", "description": "The text is an editor's "
                          "correction of the machine's."},
        }),
        "Page": obj({
            "id": {"type": "integer", "description": "The page's IIIF image identifier."},
            "label": {"type": "string", "description": "e.g. 'p. 3'."},
            "width": {"type": "integer", "description": "Pixels."},
            "height": {"type": "integer", "description": "Pixels."},
            "image_service": {**URL, "description": "IIIF Image API 3 service (level 2); "
                              "add /info.json or /full/,200/0/default.jpg."},
        }),
    }


def record_schemas() -> dict:
    """Documents and collections."""
    return {
        "DocumentItem": obj(DOCUMENT_ITEM, "A document as lists show it."),
        "Document": obj(
            DOCUMENT_FIELDS | {"status": STATUS}, "A document with all its fields.",
            required=list(DOCUMENT_FIELDS),
        ),
        "DocumentDetail": obj(
            DOCUMENT_FIELDS | {"status": STATUS, "machine_transcript": {
                **nullable(ref("MachineTranscript")),
                "description": "What OCR read on its pages, marked as machine-read; null "
                               "until OCR has read a page. Only the document detail has it."}},
            "A document with all its fields and its machine transcript.",
            required=[*DOCUMENT_FIELDS, "machine_transcript"],
        ),
        "DocumentPage": obj({
            "results": array(ref("Document")),
            "next": {**nullable(URL), "description": "The next page; null on the last one "
                     "(and for a source_id look-up)."},
        }, "Documents in record-ID order (or the one a source_id names)."),
        "CollectionSummary": obj({
            "id": INTEGER, "title": STRING, "date_span": STRING, "display_date_span": STRING,
            "document_count": {"type": "integer", "description": "Published documents."},
            "url": URL,
        }),
        "CollectionList": obj({
            "results": array(ref("CollectionSummary")),
            "next": {"type": "null", "description": "Always null: collections come whole."},
        }, "Every collection, A–Z, in one response."),
        "Collection": obj(COLLECTION_FIELDS | {
            "documents": {**array(ref("DocumentItem")),
                          "description": "Its documents, oldest first, undated last."},
        }),
        "DocumentCreate": document_input(required=["title"]),
        "DocumentChange": document_input(required=[]),
    }


def entity_change(extra: dict) -> dict:
    """The body of a PATCH of a person or place: any of these fields."""
    return {"type": "object", "additionalProperties": False, "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 300,
                 "allOf": [{"pattern": NO_CONTROLS}, {"pattern": NOT_BLANK}]},
        "variants": {"type": "array", "maxItems": 100,
                     "items": {"type": "string", "maxLength": 300, "pattern": NO_CONTROLS},
                     "description": "Other names and spellings, in any script; replaces the list."},
        "description": {**STRING, "pattern": NO_CONTROLS}, **extra,
    }}


def entity_schemas() -> dict:
    return {
        "Person": obj(ENTITY_BASE | {
            "kind": {"type": "string", "enum": ["person", "organization"]},
            "variants": array(STRING), "life_dates": {"type": "string", "description": "EDTF"},
            "wikidata_id": STRING,
            "authority_ids": {"type": "object", "additionalProperties": True},
        } | DETAIL_COUNT, required=[*ENTITY_BASE, "kind", "variants", "life_dates",
                                    "wikidata_id", "authority_ids"]),
        "Place": obj(ENTITY_BASE | {
            "variants": array(STRING), "parent": nullable(ref("Link")),
            "latitude": {"type": ["number", "null"]}, "longitude": {"type": ["number", "null"]},
        } | DETAIL_COUNT, required=[*ENTITY_BASE, "variants", "parent", "latitude", "longitude"]),
        "Subject": obj(ENTITY_BASE | DETAIL_COUNT, required=list(ENTITY_BASE)),
        "Repository": obj(ENTITY_BASE | {
            "abbreviation": STRING, "location": STRING, "website": STRING,
        } | DETAIL_COUNT, required=[*ENTITY_BASE, "abbreviation", "location", "website"]),
        "PersonChange": entity_change({
            "kind": {"type": "string", "enum": ["person", "organization"]},
            "life_dates": {"type": "string", "maxLength": 40, "pattern": NO_CONTROLS,
                           "description": "EDTF"},
            "wikidata_id": {"type": "string", "maxLength": 20, "pattern": NO_CONTROLS},
        }),
        "PlaceChange": entity_change({}),
        "PersonPage": page_of("Person"),
        "PlacePage": page_of("Place"),
        "SubjectPage": page_of("Subject"),
        "RepositoryPage": page_of("Repository"),
    }


def other_schemas() -> dict:
    return {
        "SearchResult": search_result(),
        "FacetValues": facet_values(),
        "Citation": obj({
            "document": INTEGER, "style": {"type": "string", "enum": ["chicago", "mla", "apa"]},
            "label": STRING, "csl_style": STRING, "html": STRING, "text": STRING,
            "note": nullable(obj({"html": STRING, "text": STRING})),
            "csl_json": {**URL, "description": "The CSL-JSON the citation is rendered from."},
        }),
    }


FACET_VALUE = obj({
    "value": STRING, "label": STRING, "count": INTEGER,
    "selected": {"type": "boolean", "description": "Present (true) when the search chose it."},
    "excluded": {"type": "boolean", "description": "Present (true) when the search leaves "
                 "it out (not_<filter>); its count is then 0."},
}, required=["value", "label", "count"])


def facet_values() -> dict:
    return obj({
        "facet": STRING, "total": {**INTEGER, "description": "How many values (containing "
                                   "q_value, when given)."},
        "page": INTEGER, "page_size": INTEGER, "pages": INTEGER, "q_value": STRING,
        "values": array(FACET_VALUE),
    }, "A page of one filter's values, most documents first.")


def search_result() -> dict:
    value = FACET_VALUE
    return obj({
        "total": INTEGER, "page": INTEGER, "page_size": INTEGER,
        "results": array(obj({
            "id": INTEGER, "url": URL, "title": STRING, "date": STRING,
            "display_date": STRING, "summary": STRING,
            "edition": {"type": "string", "description": "For a document of a documentary "
                        "edition, its volume and number: 'FRUS 1964–68, vol. XXX, no. 100'; "
                        "empty otherwise."},
            "snippet": {"type": "string", "description": "HTML; matched words in <mark>."},
            "snippet_source": {
                "type": "string", "enum": ["text", "ocr", "summary"],
                "description": "Where the snippet is from: a transcript or translation, the "
                               "OCR text of the pages (machine-read, weighted lower in "
                               "ranking), or the summary."},
            "snippet_page": {
                "type": ["integer", "null"],
                "description": "For an OCR snippet, the page (1-based, reading order) it was "
                               "read on; the document page's ?text=original&page=N opens the "
                               "scan there. Null otherwise."},
        })),
        "facets": {"type": "object", "additionalProperties": array(value),
                   "description": "Per filter (and 'date'), its values with counts."},
        "notices": {**array(STRING),
                    "description": "Why the query was read as plain words and what it ignored, "
                                   "or that a date: value was ignored."},
        "suggestions": {**array(obj({
            "q": STRING, "total": INTEGER,
            "url": {**URL, "description": "This search (filters kept) with the respelled q."},
        })), "description": "'Did you mean': respelled queries that find more, when the search "
                            "found fewer than 3 documents; otherwise empty."},
        "expanded": {**array(STRING), "description": (
            "Other spellings of names in the query that were searched too (none with "
            "literal=1)."
        )},
    })
