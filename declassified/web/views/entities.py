"""Pages of people and organizations, places, subjects and repositories, with their documents."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from declassified.archive import queries
from declassified.archive.models import Person, Place, Repository, Subject
from declassified.web.views.common import (
    canonical_url,
    paginate,
    redirect_to_current_slug,
    slugged_path,
)


def entity_page(
    request: HttpRequest, rows: QuerySet[queries.TagEntity], pk: int, slug: str | None, route: str
) -> HttpResponse:
    """The shared page of every entity: its details and a page of its documents (three queries)."""
    entity = rows.filter(pk=pk).first() if 0 < pk <= queries.MAX_ID else None
    if entity is None:
        raise Http404("No such record.")
    redirect = redirect_to_current_slug(request, entity, route, slug)
    if redirect:
        return redirect
    page = paginate(request, queries.entity_documents_in_date_order(entity, request.user))
    return render(request, f"web/entities/{route}.html", {
        "entity": entity,
        "page": page,
        "canonical": canonical_url(request, slugged_path(entity, route), page),
    })


@require_safe
def person_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    return entity_page(request, Person.objects.all(), pk, slug, "person")


@require_safe
def place_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    return entity_page(request, Place.objects.select_related("parent"), pk, slug, "place")


@require_safe
def subject_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    return entity_page(request, Subject.objects.all(), pk, slug, "subject")


@require_safe
def repository_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    return entity_page(request, Repository.objects.all(), pk, slug, "repository")
