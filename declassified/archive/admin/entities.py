"""The back office for collections and the entities documents are tagged with.

Saves and deletions go through actions (do_save_collection / do_save_entity and their delete
twins), which record a revision and reindex the documents that show the changed name. Each
has a "History" page of its revisions (declassified.archive.admin.history).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from declassified.archive import actions
from declassified.archive.access import signed_in
from declassified.archive.admin.forms import (
    CollectionAdminForm,
    PersonAdminForm,
    PlaceAdminForm,
    RefusesControlCharacters,
)
from declassified.archive.admin.history import object_history_view
from declassified.archive.models import (
    Collection,
    Language,
    Person,
    Place,
    Repository,
    Revision,
    Subject,
)
from declassified.archive.revisions import KINDS

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class DocumentTotal(TypedDict):
    """What CollectionAdmin.get_queryset adds to each collection."""

    document_total: int  # all its documents, whatever their status


class EntityAdmin(RefusesControlCharacters, admin.ModelAdmin):
    """Common ground of the tag entities: search by name, writes through actions."""

    search_fields: ClassVar[tuple[str, ...]] = ("name",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_per_page = 100
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: actions.Entity, form: forms.ModelForm,
                   change: bool) -> None:
        if change and not form.has_changed():
            return  # nothing to save, and nothing for the index to redo
        actions.do_save_entity(obj, acting_user=signed_in(request.user))

    def delete_model(self, request: HttpRequest, obj: actions.Entity) -> None:
        actions.do_delete_entity(obj, acting_user=signed_in(request.user))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        user = signed_in(request.user)
        with transaction.atomic():  # the bulk delete is all or nothing
            for entity in queryset:
                actions.do_delete_entity(entity, acting_user=user)

    def history_view(self, request, object_id, extra_context=None):
        return object_history_view(self, request, object_id, KINDS[self.model], extra_context)


class VariantsSearchMixin(admin.ModelAdmin):
    """Finds name variants in any script on both databases (listed before EntityAdmin).

    SQLite keeps JSON text with non-ASCII letters escaped ("\\u5468"), PostgreSQL's jsonb
    shows them as they are; a non-ASCII search therefore also looks for the escaped form.
    """

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term and not term.isascii():
            escaped = json.dumps(term)[1:-1]
            results |= queryset.filter(variants__icontains=escaped)
        return results, may_have_duplicates


@admin.register(Person)
class PersonAdmin(VariantsSearchMixin, EntityAdmin):
    form = PersonAdminForm
    list_display = ("name", "kind", "life_dates", "wikidata_id", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "variants", "wikidata_id")
    search_help_text = "Name, a variant in any script, or a Wikidata ID."
    fields = (
        "name", "kind", "variants", "life_dates", "description", "wikidata_id",
        "authority_ids", "slug", "source_key",
    )


@admin.register(Place)
class PlaceAdmin(VariantsSearchMixin, EntityAdmin):
    form = PlaceAdminForm
    list_display = ("name", "parent", "latitude", "longitude", "updated_at")
    list_select_related = ("parent",)
    search_fields = ("name", "variants")
    autocomplete_fields = ("parent",)
    fields = (
        "name", "variants", "parent", ("latitude", "longitude"), "description", "slug",
    )


@admin.register(Subject)
class SubjectAdmin(EntityAdmin):
    list_display = ("name", "updated_at")
    fields = ("name", "description", "slug")


@admin.register(Repository)
class RepositoryAdmin(EntityAdmin):
    list_display = ("name", "abbreviation", "location", "updated_at")
    search_fields = ("name", "abbreviation", "location")
    fields = ("name", "abbreviation", "location", "url", "description", "slug")


@admin.register(Language)
class LanguageAdmin(EntityAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    ordering = ("name",)

    def get_readonly_fields(self, request, obj=None):
        # The ISO code is the primary key: changing it would orphan the texts written in it.
        return ("code",) if obj is not None else ()

    def view_on_site(self, obj):
        return None  # languages have no public page


@admin.register(Collection)
class CollectionAdmin(RefusesControlCharacters, admin.ModelAdmin):
    form = CollectionAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # the edition's page
    list_display = ("title", "date_span", "parent", "featured", "document_count", "updated_at")
    list_filter = ("featured",)
    list_select_related = ("parent",)
    search_fields = ("title", "short_description", "source_id")
    autocomplete_fields = ("parent", "related")
    list_per_page = 100
    fieldsets = (
        (None, {"fields": (
            "title", "slug", "date_span", "short_description", "description", "featured",
        )}),
        ("Image", {"fields": ("image", "image_caption", "image_credit")}),
        ("Place among collections", {"fields": ("parent", "position", "related")}),
        ("Source", {"fields": ("source_id", "editors")}),
        ("Documentary edition", {
            "fields": (
                "is_edition", "series_title", ("volume_number", "volume_title"),
                "edition_editors", ("publisher", "publisher_place", "published_year"),
                "medium", "source_url",
            ),
            "description": "For a published volume of documents (e.g. a FRUS volume): its "
                           "documents are cited as published in it, by their number.",
        }),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(document_total=Count("documents"))

    @admin.display(description="documents", ordering="document_total")
    def document_count(self, collection: WithAnnotations[Collection, DocumentTotal]) -> int:
        return collection.document_total

    def save_model(self, request: HttpRequest, obj: Collection, form: forms.ModelForm,
                   change: bool) -> None:
        if change and not [name for name in form.changed_data if name != "related"]:
            return  # only related collections changed; save_related stores those
        actions.do_save_collection(obj, acting_user=signed_in(request.user))

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any,
                     change: bool) -> None:
        if "related" in form.changed_data:
            actions.do_set_related_collections(
                form.instance, form.cleaned_data["related"], acting_user=signed_in(request.user)
            )

    def delete_model(self, request: HttpRequest, obj: Collection) -> None:
        actions.do_delete_collection(obj, acting_user=signed_in(request.user))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Collection]) -> None:
        user = signed_in(request.user)
        with transaction.atomic():
            for collection in queryset:
                actions.do_delete_collection(collection, acting_user=user)

    def history_view(self, request, object_id, extra_context=None):
        """The collection's revisions, and documents joining or leaving it."""
        return object_history_view(self, request, object_id, Revision.COLLECTION, extra_context)
