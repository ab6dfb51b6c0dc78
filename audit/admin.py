from __future__ import annotations

from django.contrib import admin

from .models import Action, AuditEvent, record_request


class CaseTextAdmin(admin.ModelAdmin):
    """Admin pages of models that hold case text: every reading is audited.

    The lists show no case text; opening one record is a reading like any
    other and is written to the audit log, as is every change made here.
    """

    # No bulk actions: their checkboxes are labelled with each record's title.
    actions = None

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = kwargs.get("obj")
        if obj is not None:
            record_request(request, Action.READ, obj)
        return super().render_change_form(request, context, add, change, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        record_request(request, Action.CHANGE if change else Action.CREATE, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Readable, never written or removed by hand."""

    list_display = ["at", "person", "action", "outcome", "object_kind", "via"]
    list_filter = ["action", "outcome", "via", "object_kind"]
    search_fields = ["person", "object_uuid"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
