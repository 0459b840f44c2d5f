"""Edit history: each document's DocumentRevision rows (who, when, what, which fields).

Shown from the document's change page (its "History" button) and, across documents, as a
read-only list of revisions for editors.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from declassified.archive.models import DocumentRevision

REVISIONS_PER_PAGE = 100


def parse_record_id(search_term: str) -> int | None:
    """The record ID a search term names, if it is one (digits within the ID range)."""
    term = search_term.strip()
    if term.isascii() and term.isdigit() and 0 < int(term) < 2**31:
        return int(term)
    return None


def revision_author(revision: DocumentRevision) -> str:
    """The user's name, or the label of a program (e.g. 'import'); needs actor selected."""
    if revision.actor is not None:
        return revision.actor.get_username()
    return revision.actor_label or "unknown"


def revision_fields(revision: DocumentRevision) -> str:
    return ", ".join(str(name) for name in revision.fields) if revision.fields else "—"


def document_history_view(model_admin, request, object_id, extra_context=None):
    """The history page of one document, newest first; two queries a page plus the admin's."""
    document = model_admin.get_object(request, unquote(object_id))
    if document is None:
        return model_admin._get_obj_does_not_exist_redirect(
            request, model_admin.opts, object_id
        )
    if not model_admin.has_view_or_change_permission(request, document):
        raise PermissionDenied
    revisions = document.revisions.select_related("actor").order_by("-at", "-id")
    page = Paginator(revisions, REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    for revision in page:
        revision.author = revision_author(revision)
        revision.field_list = revision_fields(revision)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Edit history: {document}",
        "subtitle": None,
        "object": document,
        "opts": model_admin.opts,
        "app_label": model_admin.opts.app_label,
        "page_obj": page,
        "preserved_filters": model_admin.get_preserved_filters(request),
        **(extra_context or {}),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/archive/document/object_history.html", context)


@admin.register(DocumentRevision)
class DocumentRevisionAdmin(admin.ModelAdmin):
    """Every revision of every document, read-only: the archive's audit trail."""

    list_display = ("at", "document_link", "who", "action", "field_list")
    list_select_related = ("document", "actor")
    list_filter = ("action",)
    search_fields = ("actor__username", "actor_label")
    search_help_text = "A record ID, or who made the change."
    date_hierarchy = "at"
    list_per_page = 100
    show_full_result_count = False

    @admin.display(description="document", ordering="document_id")
    def document_link(self, revision: DocumentRevision):
        url = reverse("admin:archive_document_change", args=[revision.document_id])
        return format_html('<a href="{}">{}: {}</a>', url, revision.document_id,
                           revision.document.title[:80])

    @admin.display(description="who")
    def who(self, revision: DocumentRevision) -> str:
        return revision_author(revision)

    @admin.display(description="fields")
    def field_list(self, revision: DocumentRevision) -> str:
        return revision_fields(revision)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if record_id := parse_record_id(search_term):
            results |= queryset.filter(document_id=record_id)
        return results, may_have_duplicates

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # history is only ever removed with its document
