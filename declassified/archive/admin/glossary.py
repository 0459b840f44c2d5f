"""The back office for collections' glossaries (the terms of an imported FRUS volume).

Editors only (EditorsOnly); saves and deletions go through actions.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from declassified.archive import actions
from declassified.archive.access import signed_in
from declassified.archive.admin.forms import RefusesControlCharacters
from declassified.archive.admin.permissions import EditorsOnly
from declassified.archive.models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(EditorsOnly, RefusesControlCharacters, admin.ModelAdmin):
    list_display = ["term", "expansion", "collection"]
    search_fields = ["term", "expansion", "collection__title"]
    raw_id_fields = ["collection"]
    list_select_related = ["collection"]

    def save_model(self, request: HttpRequest, obj: GlossaryTerm, form: forms.ModelForm,
                   change: bool) -> None:
        actions.do_save_glossary_term(obj, acting_user=signed_in(request.user))

    def delete_model(self, request: HttpRequest, obj: GlossaryTerm) -> None:
        actions.do_delete_glossary_term(obj, acting_user=signed_in(request.user))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[GlossaryTerm]) -> None:
        user = signed_in(request.user)
        with transaction.atomic():  # the bulk delete is all or nothing
            for term in queryset:
                actions.do_delete_glossary_term(term, acting_user=user)
