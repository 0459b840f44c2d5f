"""Edit history in the back office, from the Revision rows the actions write.

- a document's history (its "History" button): its own revisions and those of its texts,
  files and collection memberships, newest first, each with old and new values (rich texts
  as a diff) and a "Restore this version" button for whoever may change the document;
- the restore: a confirmation page saying what will change, then (POST) the
  `do_restore_document` action;
- a collection's or entity's history (their "History" button);
- the audit trail: every revision of every kind, read-only, deleted documents' included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from declassified.archive import actions
from declassified.archive.access import signed_in
from declassified.archive.admin.diffs import plan_rows, revision_rows
from declassified.archive.models import Document, Revision
from declassified.archive.restore import NotRestorable, RestorePlan, plan_restore
from declassified.archive.revisions import in_field_order

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

REVISIONS_PER_PAGE = 50
LABEL_LENGTH = 60  # titles in the audit trail's columns


class RevisionDocument(TypedDict):
    """What the audit trail's rows know of their document (RevisionAdmin.get_queryset)."""

    document_exists: bool
    document_title: str | None  # its last recorded title, kept after a deletion


def parse_record_id(search_term: str) -> int | None:
    """The record ID a search term names, if it is one (digits within the ID range)."""
    term = search_term.strip()
    if term.isascii() and term.isdigit() and 0 < int(term) < 2**31:
        return int(term)
    return None


def subject(revision: Revision, *, shown_on: str = "") -> str:
    """What a revision is about, as a row names it on a document's history ("document"), a
    collection's ("collection") or the audit trail (no page)."""
    if revision.kind == Revision.DOCUMENT and shown_on == Revision.DOCUMENT:
        return "document"
    if revision.kind == Revision.MEMBERSHIP and shown_on == Revision.COLLECTION:
        return f"document {revision.document_id}"
    if revision.kind == Revision.PAGE_TEXT:  # its label says it all: "OCR text of p. 3"
        return Truncator(revision.object_label).chars(LABEL_LENGTH)
    label = Truncator(revision.object_label).chars(LABEL_LENGTH)
    return f"{revision.get_kind_display()}: {label}"


def history_page(model_admin, request, obj, revisions, *, kind: str, extra=None):
    """The shared history template: one page of revisions with their change rows."""
    page = Paginator(revisions, REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    for revision in page:
        revision.subject = subject(revision, shown_on=kind)
        revision.rows = revision_rows(revision)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Edit history: {obj}",
        "subtitle": None,
        "object": obj,
        "opts": model_admin.opts,
        "app_label": model_admin.opts.app_label,
        "page_obj": page,
        "preserved_filters": model_admin.get_preserved_filters(request),
        **(extra or {}),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/archive/history.html", context)


def missing_object_redirect(model_admin: admin.ModelAdmin, request: HttpRequest,
                            object_id: str) -> HttpResponse:
    """Django's own answer to an unknown object's page: the admin index, with a warning."""
    # ModelAdmin's change and history views answer with this private method, which
    # django-stubs leaves out.
    return model_admin._get_obj_does_not_exist_redirect(  # type: ignore[attr-defined]
        request, model_admin.opts, object_id)


def viewable_object(model_admin, request, object_id):
    """The object if this user may see it (PermissionDenied otherwise); None if missing."""
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is not None and not model_admin.has_view_or_change_permission(request, obj):
        raise PermissionDenied
    return obj


def document_history_view(model_admin, request, object_id, extra_context=None):
    """A document's history; a bounded number of queries whatever its length."""
    document = viewable_object(model_admin, request, object_id)
    if document is None:
        return missing_object_redirect(model_admin, request, object_id)
    revisions = Revision.objects.of_document(document.pk)
    response = history_page(model_admin, request, document, revisions, kind=Revision.DOCUMENT,
                            extra=extra_context)
    if model_admin.has_change_permission(request, document):
        mark_restorable(response.context_data["page_obj"], revisions)
    return response


def mark_restorable(page, revisions) -> None:
    """Every revision but the newest can be restored, back to the oldest that a restore can
    reach: one recorded before values were kept cannot be undone, so it is a floor."""
    newest = revisions.values_list("pk", flat=True).first()
    floor = revisions.filter(values_recorded=False).values_list("pk", flat=True).first() or 0
    for revision in page:
        revision.restorable = revision.pk >= floor and revision.pk != newest


def document_restore_view(model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str,
                          revision_id: int) -> HttpResponse:
    """GET: what restoring the version would change; POST (with CSRF): restore it."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    document = viewable_object(model_admin, request, object_id)
    if document is None:
        return missing_object_redirect(model_admin, request, object_id)
    if not model_admin.has_change_permission(request, document):
        raise PermissionDenied
    revision = get_object_or_404(Revision, pk=revision_id, document_id=document.pk)
    history_url = reverse("admin:archive_document_history", args=[document.pk])
    plan: RestorePlan | None = None
    try:
        plan = plan_restore(document, revision)
        problem = "This version is the same as the document now." if plan.is_empty else ""
    except NotRestorable as error:
        problem = str(error)
    if request.method == "POST" and not problem:
        actions.do_restore_document(document, revision, acting_user=signed_in(request.user))
        model_admin.message_user(request, f"Restored the version of {revision.at:%Y-%m-%d %H:%M}.",
                                 messages.SUCCESS)
        return HttpResponseRedirect(history_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Restore an earlier version: {document}",
        "subtitle": None,
        "object": document,
        "opts": model_admin.opts,
        "revision": revision,
        "rows": plan_rows(plan) if plan else [],
        "notes": plan.notes if plan else [],
        "problem": problem,
        "history_url": history_url,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/archive/restore_confirmation.html", context,
                            status=409 if problem and request.method == "POST" else 200)


def object_history_view(model_admin, request, object_id, kind: str, extra_context=None):
    """A collection's or entity's history; a collection's includes documents joining and
    leaving it."""
    obj = viewable_object(model_admin, request, object_id)
    if obj is None:
        return missing_object_redirect(model_admin, request, object_id)
    about = Q(kind=kind, object_id=str(obj.pk))
    if kind == Revision.COLLECTION:
        about |= Q(kind=Revision.MEMBERSHIP, object_id=str(obj.pk))
    return history_page(model_admin, request, obj, Revision.objects.filter(about), kind=kind,
                        extra=extra_context)


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """Every revision of every kind, read-only: the archive's audit trail."""

    list_display = ("at", "about", "document_column", "who", "action", "summary")
    list_filter = ("action", "kind")
    search_fields = ("acting_user_name", "via", "object_label")
    search_help_text = "A record ID, a title or name, or who made the change."
    date_hierarchy = "at"
    list_per_page = 100
    show_full_result_count = False
    fields = ("at", "who", "action", "kind", "object_id", "object_label", "document_id", "note",
              "change_table")
    readonly_fields = fields

    def get_queryset(self, request):
        """Each row knows whether its document still exists and its title (the last recorded
        one for a deleted document): two subqueries, no query per row."""
        documents = Document.objects.filter(pk=OuterRef("document_id"))
        last_title = Revision.objects.filter(
            kind=Revision.DOCUMENT, document_id=OuterRef("document_id")
        ).order_by("-id").values("object_label")[:1]
        return super().get_queryset(request).annotate(
            document_exists=Exists(documents), document_title=Subquery(last_title)
        )

    def lookup_allowed(self, lookup, value, request=None):
        # Links from the history pages filter by document or object.
        return lookup in ("document_id", "object_id") or super().lookup_allowed(
            lookup, value, request)

    @admin.display(description="about")
    def about(self, revision: Revision):
        url = reverse("admin:archive_revision_changelist")
        return format_html('<a href="{}?kind={}&amp;object_id={}">{}</a>', url, revision.kind,
                           revision.object_id, subject(revision))

    @admin.display(description="document", ordering="document_id")
    def document_column(self, revision: WithAnnotations[Revision, RevisionDocument]) -> str:
        if revision.document_id is None:
            return "—"
        title = Truncator(revision.document_title or "").chars(LABEL_LENGTH)
        if revision.document_exists:
            url = reverse("admin:archive_document_history", args=[revision.document_id])
            return format_html('<a href="{}">{}: {}</a>', url, revision.document_id, title)
        url = reverse("admin:archive_revision_changelist")
        return format_html('<a href="{}?document_id={}">{}: {}</a> (deleted)', url,
                           revision.document_id, revision.document_id, title)

    @admin.display(description="who")
    def who(self, revision: Revision) -> str:
        return revision.who

    @admin.display(description="changed")
    def summary(self, revision: Revision) -> str:
        names = ", ".join(name.replace("_", " ")
                          for name in in_field_order(revision.kind, revision.changes)) or "—"
        return f"{names} ({revision.note})" if revision.note else names

    @admin.display(description="changes")
    def change_table(self, revision: Revision):
        return render_to_string("admin/archive/change_rows.html", {"rows": revision_rows(revision)})

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
        return False  # the history outlives what it is about
