"""Writes of people and places: PATCH /api/v1/people/<id> and /api/v1/places/<id> change
the named fields, their other names and spellings (`variants`) above all.

Rights and validation are the back office's: the token's user needs the model's change
permission (Editors and Contributors have it), and the body is checked by the admin's own
form (PersonAdminForm, PlaceAdminForm: variants a list of strings, control characters
refused). The change goes through archive.actions.do_save_entity, which records a revision,
reindexes the documents naming the entity and, on a rename, adds the generated spellings of
the new name (archive.name_variants).
"""

from __future__ import annotations

from django.forms import modelform_factory
from django.forms.models import model_to_dict
from django.http import JsonResponse

from declassified.api.entities import person_fields, place_fields
from declassified.api.forms import InvalidBody, json_object, valid_unicode
from declassified.api.http import json_error, json_response
from declassified.api.middleware import ApiRequest
from declassified.api.writes import Refusal, refusals, require_token
from declassified.archive import actions
from declassified.archive.admin.forms import PersonAdminForm, PlaceAdminForm, text_formfield
from declassified.archive.models import Person, Place
from declassified.archive.queries import MAX_ID

# The fields a body may name, with the JSON type each takes.
PERSON_FIELDS: dict[str, type] = {"name": str, "kind": str, "variants": list, "life_dates": str,
                 "description": str, "wikidata_id": str}
PLACE_FIELDS: dict[str, type] = {"name": str, "variants": list, "description": str}
MAX_VARIANTS, MAX_VARIANT_CHARS = 100, 300


def _update(request: ApiRequest, model, pk: int, allowed: dict[str, type], form_class,
            fields_of, label: str) -> JsonResponse:
    user = require_token(request, f"archive.change_{model._meta.model_name}")
    entity = model.objects.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if entity is None:
        raise Refusal(json_error(f"No {label} has that ID.", 404))
    body = json_object(request, f"{label} fields")
    _check_types(body, allowed)
    form = modelform_factory(model, form=form_class, fields=list(allowed),
                             formfield_callback=text_formfield)(
        data=model_to_dict(entity, fields=list(allowed)) | body, instance=entity)
    if not form.is_valid():
        raise InvalidBody(f"The {label} is not valid.",
                          {name: [str(m) for m in messages] for name, messages in form.errors.items()})
    if form.has_changed():
        actions.do_save_entity(form.save(commit=False), acting_user=user, via="api")
    return json_response(fields_of(request, model.objects.get(pk=pk)))


def _check_types(body: dict, allowed: dict[str, type]) -> None:
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise InvalidBody(f"Unknown field: {unknown[0]}. The fields are {', '.join(allowed)}.")
    for name, value in body.items():
        kind = allowed[name]
        if kind is list and not (isinstance(value, list)
                                 and all(isinstance(v, str) for v in value)):
            raise InvalidBody(f"{name} must be a list of strings.", {name: ["Not a list of strings."]})
        if kind is list and (len(value) > MAX_VARIANTS or any(len(v) > MAX_VARIANT_CHARS for v in value)):
            raise InvalidBody(f"{name}: at most {MAX_VARIANTS} names of at most {MAX_VARIANT_CHARS} "
                              "characters.", {name: ["Too many or too long."]})
        if kind is str and not isinstance(value, str):
            raise InvalidBody(f"{name} must be a string.", {name: ["Not a string."]})
        if not valid_unicode(value):
            raise InvalidBody(f"{name} is not valid Unicode.", {name: ["No lone surrogates."]})


@refusals
def update_person(request: ApiRequest, pk: int) -> JsonResponse:
    """PATCH /api/v1/people/<id>: change the named fields (name, kind, variants, life_dates,
    description, wikidata_id)."""
    return _update(request, Person, pk, PERSON_FIELDS, PersonAdminForm, person_fields, "person")


@refusals
def update_place(request: ApiRequest, pk: int) -> JsonResponse:
    """PATCH /api/v1/places/<id>: change the named fields (name, variants, description)."""
    return _update(request, Place, pk, PLACE_FIELDS, PlaceAdminForm, place_fields, "place")

