"""Validation of document writes: the back office's own form, fed from a JSON body.

The form class is the admin's (`DocumentAdmin.get_form`: DocumentAdminForm with the
admin's field overrides, EDTF check, uniqueness and length rules), so the API accepts
exactly what the back office accepts. This module adds only what JSON needs: the body
must be an object of known fields whose values have the right JSON types. Collections,
an inline in the back office, are a list of collection IDs here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.http import HttpRequest

from declassified.archive.fields import concrete_field, related_model
from declassified.archive.models import Collection, Document
from declassified.archive.queries import MAX_ID

# Changed only by POST …/publish and …/withdraw, never by a field write.
STATUS_FIELD = "status"
COLLECTIONS_FIELD = "collections"


class InvalidBody(ValueError):
    """The request body is not a JSON object of known, well-typed fields."""

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.fields = fields or {}


@cache
def writable_fields() -> tuple[str, ...]:
    """The document fields the back office edits, less read-only ones and the status."""
    model_admin = admin.site.get_model_admin(Document)
    names = flatten_fieldsets(model_admin.fieldsets or ())  # DocumentAdmin sets them
    readonly = set(model_admin.readonly_fields)
    return tuple(n for n in names if n not in readonly and n != STATUS_FIELD)


def body_fields() -> tuple[str, ...]:
    return (*writable_fields(), COLLECTIONS_FIELD)


def json_kind(name: str) -> str:
    """The JSON type a body field takes: string, nullable-string, boolean, id,
    ids (record IDs) or codes (language codes)."""
    if name == COLLECTIONS_FIELD:
        return "ids"
    model_field = concrete_field(Document, name)
    if model_field.many_to_many:
        pk = related_model(Document, name)._meta.pk
        return "ids" if isinstance(pk, models.AutoField) else "codes"
    if model_field.many_to_one:
        return "id"
    if isinstance(model_field, models.BooleanField):
        return "boolean"
    return "nullable-string" if model_field.null else "string"


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def _as_integer(value):
    """JSON Schema counts 5.0 as the integer 5; so do we."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_as_integer(item) for item in value]
    return value


_TYPE_CHECKS = {
    "string": (lambda v: isinstance(v, str), "Expected a string."),
    "nullable-string": (lambda v: v is None or isinstance(v, str), "Expected a string or null."),
    "boolean": (lambda v: isinstance(v, bool), "Expected true or false."),
    "id": (lambda v: v is None or _is_id(v), "Expected a record ID (a positive integer) or null."),
    "ids": (lambda v: isinstance(v, list) and all(_is_id(i) for i in v),
            "Expected a list of record IDs (positive integers)."),
    "codes": (lambda v: isinstance(v, list) and all(isinstance(c, str) for c in v),
              "Expected a list of language codes, e.g. [\"en\", \"ru\"]."),
}


def json_object(request: HttpRequest, what: str) -> dict:
    """The body as a JSON object (of `what`, for the message); raises InvalidBody."""
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise InvalidBody("The request body is not valid JSON.") from None
    except RecursionError:  # '[[[[…' a few thousand deep: the decoder's recursion gives up
        raise InvalidBody(
            "The request body is nested too deeply: send an object of fields, whose values "
            "are strings, numbers, true/false, null or lists of those."
        ) from None
    if not isinstance(data, dict):
        raise InvalidBody(f"The request body must be a JSON object of {what}.")
    return data


def parse_body(request: HttpRequest) -> dict:
    """The body as a dict of known, well-typed fields; raises InvalidBody."""
    data = json_object(request, "document fields")
    known = body_fields()
    problems: dict[str, list[str]] = {}
    for name, value in data.items():
        if name == STATUS_FIELD:
            problems[name] = ["The status changes through POST …/publish or …/withdraw."]
        elif name not in known:
            problems[name] = ["Unknown field; the writable fields are: " + ", ".join(known) + "."]
        else:
            kind = json_kind(name)
            if kind in ("id", "ids"):
                data[name] = value = _as_integer(value)
            check, message = _TYPE_CHECKS[kind]
            if not check(value):
                problems[name] = [message]
            elif not valid_unicode(value):
                problems[name] = ["Text must be valid Unicode (no lone surrogates)."]
    if problems:
        raise InvalidBody("Some fields cannot be written.", problems)
    return data


def valid_unicode(value) -> bool:
    """Whether the text (or list of texts) can be stored: no lone surrogates."""
    texts = value if isinstance(value, list) else [value]
    try:
        for text in texts:
            if isinstance(text, str):
                text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class CollectionsForm(forms.Form):
    """The collections a document belongs to (the back office's membership inline)."""

    collections = forms.ModelMultipleChoiceField(Collection.objects.all(), required=False)


def current_values(document: Document) -> dict:
    """The document's writable fields as a body would give them (one query per tag list)."""
    values: dict = {}
    for name in writable_fields():
        model_field = concrete_field(Document, name)
        if model_field.many_to_many:
            values[name] = list(getattr(document, name).values_list("pk", flat=True))
        elif model_field.many_to_one:
            values[name] = getattr(document, model_field.attname)
        else:
            values[name] = getattr(document, name)
    values[COLLECTIONS_FIELD] = list(document.collections.values_list("pk", flat=True))
    return values


@dataclass
class DocumentForms:
    """The admin's document form and the collections form, bound to one write."""

    document: forms.ModelForm
    collections: CollectionsForm
    errors: dict[str, list[str]] = field(default_factory=dict)

    def is_valid(self) -> bool:
        valid = self.document.is_valid() & self.collections.is_valid()
        for form in (self.document, self.collections):
            for name, messages in form.errors.items():
                self.errors[name] = [str(m) for m in messages]
        return valid and not self.errors


def bind_forms(request: HttpRequest, document: Document | None, body: dict) -> DocumentForms:
    """The back office's form for this user and document, holding current values
    overlaid with the body (so a PATCH changes only what it names)."""
    model_admin = admin.site.get_model_admin(Document)
    form_class = model_admin.get_form(
        request, document, change=document is not None, fields=list(writable_fields())
    )
    current = current_values(document) if document is not None else {}
    data = current | body
    collections = data.pop(COLLECTIONS_FIELD, [])
    initial = {COLLECTIONS_FIELD: current.get(COLLECTIONS_FIELD, [])}
    return DocumentForms(
        document=form_class(data=data, instance=document),
        collections=CollectionsForm(data={COLLECTIONS_FIELD: collections}, initial=initial),
    )
