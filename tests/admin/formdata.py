"""POST data for the back office's document form, as a browser without JavaScript sends it."""

from __future__ import annotations

from declassified.archive.models import Document

DOCUMENT_FIELDS = {
    "title": "", "slug": "", "date": "", "date_detail": "", "summary": "", "status": "draft",
    "document_type": "", "classification": "", "source_citation": "", "repository": "",
    "place_of_origin": "", "rights": "", "funding": "", "source_id": "", "source_url": "",
    "number": "", "participants": "", "call_number": "",
}
TAG_FIELDS = ("languages", "authors", "people", "contributors", "places", "subjects", "related")


def inline_rows(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    """An inline formset: its management form and one set of fields per row."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def document_form(*, texts=(), attachments=(), memberships=(), **fields) -> dict:
    """The add form of a document: its fields, then the three inlines (empty unless given)."""
    data = {**DOCUMENT_FIELDS, **fields, "_save": "Save"}
    data.update(inline_rows("texts", list(texts)))
    data.update(inline_rows("attachments", list(attachments)))
    data.update(inline_rows("collectionmembership_set", list(memberships)))
    return data


def document_change_form(document: Document, **fields) -> dict:
    """The change form of an existing document as it stands, with `fields` changed."""
    current = {
        name: "" if getattr(document, name) is None else getattr(document, name)
        for name in DOCUMENT_FIELDS
        if name not in ("repository", "place_of_origin")
    }
    current["repository"] = document.repository_id or ""
    current["place_of_origin"] = document.place_of_origin_id or ""
    if document.summary_generated:
        current["summary_generated"] = "on"  # an unticked checkbox is simply absent
    for name in TAG_FIELDS:
        current[name] = [str(pk) for pk in getattr(document, name).values_list("pk", flat=True)]
    data = {**current, **fields, "_save": "Save"}
    texts = [
        {"id": t.pk, "document": document.pk, "kind": t.kind, "language": t.language_id,
         "translator": t.translator, "position": t.position, "body": t.body,
         "footnotes": t.footnotes}
        for t in document.texts.all()
    ]
    data.update(inline_rows("texts", texts, initial=len(texts)))
    data.update(inline_rows("attachments", []))
    memberships = [
        {"id": m.pk, "document": document.pk, "collection": m.collection_id}
        for m in document.collectionmembership_set.all()
    ]
    data.update(inline_rows("collectionmembership_set", memberships, initial=len(memberships)))
    return data
