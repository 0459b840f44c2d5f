"""Writes for editors: create and change documents, publish and withdraw them.

Authorization is a bearer token only (declassified.api.middleware sets request.api_token);
a session cookie never authorizes a write. Rights are the back office's: a Contributor
creates and edits drafts; an Editor (archive.publish_document) also edits published
documents, publishes and withdraws. Validation is the back office's form
(declassified.api.forms); every change goes through declassified.archive.actions, all of
one request in one transaction.

Statuses: 401 no or bad token, 403 not allowed, 404 no such document, 400 bad body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.urls import reverse

from declassified.api import records
from declassified.api.forms import COLLECTIONS_FIELD, DocumentForms, InvalidBody, bind_forms, parse_body
from declassified.api.http import json_error, json_response
from declassified.api.middleware import ApiRequest
from declassified.archive import actions, roles
from declassified.archive.models import CollectionMembership, Document
from declassified.archive.queries import MAX_ID, full_documents
from declassified.archive.revisions import TAG_FIELDS


class Refusal(Exception):
    """A write that must stop with this JSON error."""

    def __init__(self, response: JsonResponse):
        super().__init__(response.status_code)
        self.response = response


def require_token(request: ApiRequest, permission: str) -> User:
    """The token's user (request.user too) if it holds `permission`; raises Refusal (401 or
    403)."""
    if request.api_token is None:
        raise Refusal(json_error(
            "Writing needs an API token: `Authorization: Bearer <key>` "
            "(`declassified api-token create USERNAME --name NAME` makes one).", 401,
            WWW_Authenticate='Bearer realm="api"',
        ))
    user = request.api_token.user
    if not user.has_perm(permission):
        raise Refusal(json_error("This account may not do that.", 403))
    return user


def writable_document(user: User, pk: int) -> Document:
    """The document to change, if it exists and this user may change it (else Refusal)."""
    document = Document.objects.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if document is None:
        raise Refusal(json_error("No document has that ID.", 404))
    if not roles.may_edit_document(user, document):
        raise Refusal(json_error(
            f"Contributors change drafts only; this document is {document.status}.", 403
        ))
    return document


def document_record(request: HttpRequest, document: Document, status: int = 200) -> JsonResponse:
    """The document as GET /api/v1/documents/<id> shows it, with its status."""
    fresh = full_documents(Document.objects.filter(pk=document.pk), request.user).get()
    data = records.document_fields(request, fresh) | {"status": fresh.status}
    headers = {}
    if status == 201:
        headers["Location"] = request.build_absolute_uri(reverse("api:document", args=[fresh.pk]))
    return json_response(data, status, **headers)


def refusals(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """Turn a Refusal raised anywhere in the view into its response."""

    def wrapper(request: ApiRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            return view(request, *args, **kwargs)
        except Refusal as refusal:
            return refusal.response
        except InvalidBody as error:
            return json_error(str(error), 400, error.fields)

    wrapper.__doc__ = view.__doc__
    return wrapper


@refusals
def create_document(request: ApiRequest) -> JsonResponse:
    """POST /api/v1/documents: a new draft from a JSON object of fields (201)."""
    user = require_token(request, "archive.add_document")
    forms = bind_forms(request, None, parse_body(request))
    document = save_document(forms, user, is_new=True)
    return document_record(request, document, 201)


@refusals
def update_document(request: ApiRequest, pk: int) -> JsonResponse:
    """PATCH /api/v1/documents/<id>: change the named fields and tag lists only."""
    user = require_token(request, "archive.change_document")
    document = writable_document(user, pk)
    forms = bind_forms(request, document, parse_body(request))
    save_document(forms, user, is_new=False)
    return document_record(request, document)


@transaction.atomic
def save_document(forms: DocumentForms, user: User, *, is_new: bool) -> Document:
    """Validate, then save fields, tags and collections through the actions, as `user`;
    raises InvalidBody listing every problem, having written nothing."""
    if not forms.is_valid():
        raise InvalidBody("The document is not valid.", forms.errors)
    form = forms.document
    document = form.save(commit=False)
    own_fields = [n for n in form.changed_data if n not in TAG_FIELDS]
    if is_new or own_fields:
        actions.do_save_document(document, acting_user=user, via="api")
    tags = {n: form.cleaned_data[n] for n in form.changed_data if n in TAG_FIELDS}
    if tags:
        actions.do_set_document_tags(document, tags, acting_user=user, via="api")
    if forms.collections.has_changed():
        save_collections(document, forms, user)
    return document


def save_collections(document: Document, forms: DocumentForms, user: User) -> None:
    """Make the document's collections exactly those given (each change recorded by its
    action)."""
    wanted = {c.pk for c in forms.collections.cleaned_data[COLLECTIONS_FIELD]}
    memberships = list(CollectionMembership.objects.filter(document=document))
    current = {m.collection_id for m in memberships}
    for membership in memberships:
        if membership.collection_id not in wanted:
            actions.do_delete_membership(membership, acting_user=user, via="api")
    for collection_id in sorted(wanted - current):
        membership = CollectionMembership(document=document, collection_id=collection_id)
        actions.do_save_membership(membership, acting_user=user, via="api")


def status_change(status: str, verb: str) -> Callable[..., JsonResponse]:
    """A view that publishes or withdraws one document (Editors only)."""

    @refusals
    def view(request: ApiRequest, pk: int) -> JsonResponse:
        user = require_token(request, "archive.publish_document")
        document = writable_document(user, pk)
        actions.do_set_status([document], status, acting_user=user, via="api")
        return document_record(request, document)

    view.__doc__ = f"POST /api/v1/documents/<id>/{verb}: make the document {status}."
    return view


publish_document = status_change(Document.PUBLISHED, "publish")
withdraw_document = status_change(Document.WITHDRAWN, "withdraw")
