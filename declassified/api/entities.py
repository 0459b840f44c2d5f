"""People and organizations, places, subjects and repositories: lists and details.

Entities carry no publication status: like their pages, every one is public. Only their
documents are filtered, through declassified.archive.access (see `documents` links and
`document_count`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

from declassified.api.http import json_error, json_get, json_response
from declassified.api.pagination import BadPageRequest, cursor_page, page_json, page_request
from declassified.archive import queries
from declassified.archive.models import Person, Place, Repository, Subject
from declassified.archive.queries import TagEntity

E = TypeVar("E", Person, Place, Subject, Repository)


def entity_base(request: HttpRequest, entity: TagEntity, filter_name: str) -> dict:
    """Fields every entity has, and where to harvest its documents."""
    documents = reverse("api:documents") + "?" + urlencode({filter_name: entity.pk})
    return {
        "id": entity.pk,
        "name": entity.name,
        "slug": entity.slug,
        "description": entity.description,
        "url": request.build_absolute_uri(entity.get_absolute_url()),
        "documents": request.build_absolute_uri(documents),
    }


def person_fields(request: HttpRequest, person: Person) -> dict:
    return entity_base(request, person, "person") | {
        "kind": person.kind,
        "variants": person.variants,
        "life_dates": person.life_dates,
        "wikidata_id": person.wikidata_id,
        "authority_ids": person.authority_ids,
    }


def place_fields(request: HttpRequest, place: Place) -> dict:
    parent = place.parent
    return entity_base(request, place, "place") | {
        "variants": place.variants,
        "parent": {
            "id": parent.pk, "name": parent.name,
            "url": request.build_absolute_uri(parent.get_absolute_url()),
        } if parent else None,
        "latitude": float(place.latitude) if place.latitude is not None else None,
        "longitude": float(place.longitude) if place.longitude is not None else None,
    }


def subject_fields(request: HttpRequest, subject: Subject) -> dict:
    return entity_base(request, subject, "subject")


def repository_fields(request: HttpRequest, repository: Repository) -> dict:
    return entity_base(request, repository, "repository") | {
        "abbreviation": repository.abbreviation,
        "location": repository.location,
        "website": repository.url,
    }


def entity_views(
    rows: Callable[[], QuerySet[E]], fields: Callable[[HttpRequest, E], dict], label: str
) -> tuple[Callable[..., HttpResponse], Callable[..., HttpResponse]]:
    """A cursor-paginated list view (one query) and a detail view (two queries)."""

    @json_get
    def entity_list(request: HttpRequest) -> JsonResponse:
        try:
            page = cursor_page(request, rows(), page_request(request))
        except BadPageRequest as error:
            return json_error(str(error), 400)
        return json_response(page_json(page, [fields(request, e) for e in page.rows]))

    @json_get
    def entity_detail(request: HttpRequest, pk: int) -> JsonResponse:
        entity = rows().filter(pk=pk).first() if 0 < pk <= queries.MAX_ID else None
        if entity is None:
            return json_error(f"No {label} has that ID.", 404)
        count = queries.entity_documents_in_date_order(entity, request.user).count()
        return json_response(fields(request, entity) | {"document_count": count})

    return entity_list, entity_detail


person_list, person_detail = entity_views(Person.objects.all, person_fields, "person")
place_list, place_detail = entity_views(
    lambda: Place.objects.select_related("parent"), place_fields, "place"
)
subject_list, subject_detail = entity_views(Subject.objects.all, subject_fields, "subject")
repository_list, repository_detail = entity_views(
    Repository.objects.all, repository_fields, "repository"
)
