"""Back-office pages for editors only: those who may publish documents (and superusers).

Used where a page's work publishes or shapes what the public sees beyond one document:
imports (ingest.admin) and volume glossaries (glossary.py).
"""

from __future__ import annotations

from declassified.archive.roles import can_publish


class EditorsOnly:
    """Admin permissions for users who may publish documents (and superusers)."""

    def _allowed(self, request) -> bool:
        return request.user.is_superuser or can_publish(request.user)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request)
