"""The back office for documents: the form, its inlines, bulk status changes and history.

Every write goes through declassified.archive.actions; Django's change view already runs in
one transaction, so a document, its tags, texts, files and their revision rows commit
together. Editors (archive.publish_document) may do anything; contributors write drafts only.
History and restore: declassified.archive.admin.history.
"""

from __future__ import annotations

from typing import Any, Protocol

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import ngettext

from declassified.archive import actions, roles
from declassified.archive.access import signed_in
from declassified.archive.admin.filters import DocumentDateFilter
from declassified.archive.admin.forms import DocumentAdminForm, RefusesControlCharacters
from declassified.archive.admin.history import (
    document_history_view,
    document_restore_view,
    parse_record_id,
)
from declassified.archive.models import Attachment, CollectionMembership, Document, Text
from declassified.archive.revisions import TAG_FIELDS


class InlineAction(Protocol):
    """do_save_text, do_delete_attachment…: one object, and who acts."""

    def __call__(self, obj: Any, /, *, acting_user: User | None, via: str = "") -> object: ...


# Per inline model: (save action, delete action); each records its own revision.
INLINE_ACTIONS: dict[type[models.Model], tuple[InlineAction, InlineAction]] = {
    Text: (actions.do_save_text, actions.do_delete_text),
    Attachment: (actions.do_save_attachment, actions.do_delete_attachment),
    CollectionMembership: (actions.do_save_membership, actions.do_delete_membership),
}


class DraftsOnlyForContributorsInline(RefusesControlCharacters, InlineModelAdmin):
    """Inline rows are writable only where the document itself is (see roles). Listed
    before StackedInline or TabularInline, whose permission checks it narrows."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and roles.may_edit_document(
            request.user, obj
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and roles.may_edit_document(
            request.user, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and roles.may_edit_document(
            request.user, obj
        )


class TextInline(DraftsOnlyForContributorsInline, admin.StackedInline):
    model = Text
    extra = 1  # one blank text form, so adding a text works without JavaScript
    fields = (("kind", "language", "translator", "position"), "body", "footnotes")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "language" and field is not None:
            # A plain select (usable without JavaScript) whose options are read once per
            # request, not once per text form (`field.choices` would be a fresh iterator).
            if not hasattr(request, "_archive_language_choices"):
                request._archive_language_choices = list(field.iterator(field))
            field.choices = request._archive_language_choices
        return field
    verbose_name = "text (translation or transcript)"
    verbose_name_plural = "texts: translations and transcripts (HTML, sanitised when saved)"


class AttachmentInline(DraftsOnlyForContributorsInline, admin.TabularInline):
    model = Attachment
    extra = 1
    fields = ("file", "title", "position", "sha256", "size", "content_type")
    readonly_fields = ("sha256", "size", "content_type")
    verbose_name_plural = "original files (scans, PDF)"


class CollectionMembershipInline(DraftsOnlyForContributorsInline, admin.TabularInline):
    model = CollectionMembership
    extra = 1
    autocomplete_fields = ("collection",)
    verbose_name = "collection"
    verbose_name_plural = "collections"


@admin.register(Document)
class DocumentAdmin(RefusesControlCharacters, admin.ModelAdmin):
    form = DocumentAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = (
        "id", "short_title", "date_column", "document_type", "status", "repository",
        "summary_generated", "updated_at",
    )
    list_display_links = ("id", "short_title")
    list_filter = (
        "status", "document_type", DocumentDateFilter, "languages", "collections",
        "repository", "summary_generated",
    )
    list_select_related = ("repository",)
    list_per_page = 50
    # Spares a count(*) over every document on each filtered page; the filtered count stays.
    show_full_result_count = False
    ordering = ("-id",)
    search_fields = ("title", "source_id", "summary")
    search_help_text = "Title, summary or source ID; a number also finds that record ID."
    autocomplete_fields = (
        "repository", "place_of_origin", "authors", "people", "contributors", "places",
        "subjects", "related",
    )
    filter_horizontal = ("languages",)
    readonly_fields = ("id", "display_date", "published_at", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": (
            "title", "slug", ("date", "date_detail"), "display_date", "summary",
            "summary_generated", "status",
        )}),
        ("Description", {"fields": (
            "document_type", "classification", "languages", "participants", "source_citation",
            ("repository", "call_number"), "place_of_origin", "rights", "funding",
            ("source_id", "number"), "source_url",
        )}),
        ("Authors, people, places and subjects", {"fields": (
            "authors", "people", "contributors", "places", "subjects", "related",
        )}),
        ("Record", {"fields": ("id", "published_at", "created_at", "updated_at")}),
    )
    inlines = (TextInline, AttachmentInline, CollectionMembershipInline)
    actions = ("publish_selected", "withdraw_selected", "return_to_draft")

    @admin.display(description="title", ordering="title")
    def short_title(self, document: Document) -> str:
        return Truncator(document.title).chars(120)

    @admin.display(description="date", ordering="date_earliest")
    def date_column(self, document: Document) -> str:
        return document.display_date or "Undated"

    # --- who may do what ------------------------------------------------------------------

    def has_publish_permission(self, request) -> bool:
        return roles.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and roles.may_edit_document(
            request.user, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and roles.may_edit_document(
            request.user, obj
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        status = form.base_fields.get("status")
        if not roles.can_publish(request.user) and isinstance(status, forms.ChoiceField):
            # Contributors write drafts: the form refuses any other status.
            status.choices = [(Document.DRAFT, "Draft")]
            status.help_text = "An editor publishes the document."
        return form

    def view_on_site(self, document: Document) -> str:
        return document.get_absolute_url()  # staff see drafts there too (archive.access)

    # --- writes, all through actions --------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Document, form: forms.ModelForm,
                   change: bool) -> None:
        if not roles.can_publish(request.user):
            obj.status = Document.DRAFT  # the form already refuses others; this stops forgeries
        own_fields = [name for name in form.changed_data if name not in TAG_FIELDS]
        if change and not own_fields:
            return  # only tags or inlines changed: save_related saves those
        actions.do_save_document(obj, acting_user=signed_in(request.user))

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any,
                     change: bool) -> None:
        """Tags and inlines, each through its action (which records only real changes)."""
        tags = {name: form.cleaned_data[name] for name in form.changed_data if name in TAG_FIELDS}
        if tags:
            actions.do_set_document_tags(form.instance, tags, acting_user=signed_in(request.user))
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any,
                     change: bool) -> None:
        save, delete = INLINE_ACTIONS[formset.model]
        instances = formset.save(commit=False)
        user = signed_in(request.user)
        for obj in formset.deleted_objects:
            delete(obj, acting_user=user)
        for obj in instances:
            save(obj, acting_user=user)

    def delete_model(self, request: HttpRequest, obj: Document) -> None:
        actions.do_delete_document(obj, acting_user=signed_in(request.user))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        user = signed_in(request.user)
        with transaction.atomic():  # the bulk delete is all or nothing
            for document in queryset:
                actions.do_delete_document(document, acting_user=user)

    # --- bulk status changes ------------------------------------------------------------------

    @admin.action(description="Publish selected documents", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._set_status(request, queryset, Document.PUBLISHED, "published")

    @admin.action(description="Withdraw selected documents", permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        self._set_status(request, queryset, Document.WITHDRAWN, "withdrawn")

    @admin.action(description="Return selected documents to draft", permissions=["publish"])
    def return_to_draft(self, request, queryset):
        self._set_status(request, queryset, Document.DRAFT, "returned to draft")

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Document], status: str,
                    verb: str) -> None:
        documents = list(queryset)
        changed = actions.do_set_status(documents, status, acting_user=signed_in(request.user))
        text = ngettext("%(n)d document %(verb)s.", "%(n)d documents %(verb)s.", changed)
        text %= {"n": changed, "verb": verb}
        if unchanged := len(documents) - changed:
            text += " " + ngettext(
                "%(n)d was already %(status)s.", "%(n)d were already %(status)s.", unchanged
            ) % {"n": unchanged, "status": dict(Document.STATUS_CHOICES)[status].lower()}
        self.message_user(request, text, messages.SUCCESS if changed else messages.WARNING)

    # --- search and history -------------------------------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if record_id := parse_record_id(search_term):
            # A record ID, matched on the primary key (indexed) rather than as text.
            results |= queryset.filter(pk=record_id)
        return results, may_have_duplicates

    def history_view(self, request, object_id, extra_context=None):
        """The document's edit history (its revisions and those of its texts, files and
        collection memberships), newest first, with a restore button on each."""
        return document_history_view(self, request, object_id, extra_context)

    def get_urls(self):
        restore = path(
            "<path:object_id>/history/<int:revision_id>/restore/",
            self.admin_site.admin_view(self.restore_view), name="archive_document_restore",
        )
        return [restore, *super().get_urls()]

    def restore_view(self, request, object_id, revision_id):
        """Confirm, then restore the document to how it was right after that revision."""
        return document_restore_view(self, request, object_id, revision_id)
