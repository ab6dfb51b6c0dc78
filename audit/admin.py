from __future__ import annotations

from django.contrib import admin

from .changes import FormChanges
from .models import Action, AuditCheckpoint, AuditEvent, Via, record_request


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


class AuditedAdmin(admin.ModelAdmin):
    """Admin pages of members, units, organisations and accounts: changes audited.

    A superuser's change there is a row like an administrator's in the
    product, with what changed; so is a deletion, written before it happens.
    """

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        changes = FormChanges(form)
        if change and not changes:
            return
        record_request(
            request,
            Action.CHANGE if change else Action.CREATE,
            obj,
            detail=changes,
            via=Via.ADMIN,
        )

    def delete_model(self, request, obj) -> None:
        record_request(request, Action.DELETE, obj, via=Via.ADMIN)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            record_request(request, Action.DELETE, obj, via=Via.ADMIN)
        super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Readable, never written or removed by hand."""

    list_display = [
        "at",
        "organisation_id",
        "seq",
        "person",
        "action",
        "outcome",
        "object_kind",
        "object_name",
        "via",
    ]
    list_filter = ["action", "outcome", "via", "object_kind"]
    search_fields = ["person", "object_name", "object_uuid"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(admin.ModelAdmin):
    """The heads verify_audit found: readable, never written by hand."""

    list_display = ["at", "organisation_id", "count", "head"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
