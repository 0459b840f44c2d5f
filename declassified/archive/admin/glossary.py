"""The back office for collections' glossaries (the terms of an imported FRUS volume).

Editors only (EditorsOnly); saves and deletions go through actions.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from declassified.archive import actions
from declassified.archive.admin.permissions import EditorsOnly
from declassified.archive.models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ["term", "expansion", "collection"]
    search_fields = ["term", "expansion", "collection__title"]
    raw_id_fields = ["collection"]
    list_select_related = ["collection"]

    def save_model(self, request, obj, form, change) -> None:
        actions.do_save_glossary_term(obj, acting_user=request.user)

    def delete_model(self, request, obj) -> None:
        actions.do_delete_glossary_term(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():  # the bulk delete is all or nothing
            for term in queryset:
                actions.do_delete_glossary_term(term, acting_user=request.user)
