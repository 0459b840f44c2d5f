"""Pages of people and organizations, places, subjects and repositories, with their documents."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from declassified.archive import queries
from declassified.archive.models import Person, Place, Repository, Subject
from declassified.web.views.common import redirect_to_current_slug, slugged_path
from declassified.web.views.record_lists import record_documents


def entity_page(
    request: HttpRequest, rows: QuerySet[queries.TagEntity], pk: int, slug: str | None, route: str
) -> HttpResponse:
    """The shared page of every entity: its details and its documents from the search,
    scoped to it, with filters, sort and search within (two queries)."""
    entity = rows.filter(pk=pk).first() if 0 < pk <= queries.MAX_ID else None
    if entity is None:
        raise Http404("No such record.")
    redirect = redirect_to_current_slug(request, entity, route, slug)
    if redirect:
        return redirect
    listing = record_documents(request, entity, slugged_path(entity, route))
    return render(request, f"web/entities/{route}.html", {**listing, "entity": entity},
                  status=400 if "listing_error" in listing else 200)


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
