"""API tokens in the back office: each staff member manages their own tokens.

Adding a token shows its key once, on the page the save leads to; only its hash is kept.
Tokens are revoked, not deleted, so their history stays visible. Superusers see everyone's.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import ngettext

from declassified.api import tokens
from declassified.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    fields = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "user", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke_selected",)

    # --- who may do what: staff, with their own tokens -------------------------------------

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows if request.user.is_superuser else rows.filter(user=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and self._owns(request, obj)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the record of a token's use stays

    def _owns(self, request, obj) -> bool:
        return obj is None or request.user.is_superuser or obj.user_id == request.user.pk

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        return ("name",) if obj is None else self.fields

    # --- writes through declassified.api.tokens ---------------------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            tokens.do_rename_token(obj)
            return
        obj.user = request.user
        request._new_api_key = tokens.do_issue_token(obj)

    def response_add(self, request, obj, post_url_continue=None):
        """Show the key now, once; it cannot be shown again."""
        return TemplateResponse(request, "api/admin_token_created.html", {
            **self.admin_site.each_context(request),
            "title": "API token created",
            "token": obj,
            "key": request._new_api_key,
            "opts": self.model._meta,
        })

    @admin.action(description="Revoke selected tokens")
    def revoke_selected(self, request, queryset):
        revoked = sum(tokens.do_revoke_token(token) for token in queryset)
        self.message_user(request, ngettext(
            "%(n)d token revoked.", "%(n)d tokens revoked.", revoked) % {"n": revoked},
            messages.SUCCESS if revoked else messages.WARNING)
