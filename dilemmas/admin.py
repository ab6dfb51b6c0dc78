from __future__ import annotations

from django.contrib import admin

from .models import AccessLog, Dilemma, GuardOverride, ValueTension


@admin.register(ValueTension)
class ValueTensionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "position"]
    list_filter = ["organisation"]


@admin.register(Dilemma)
class DilemmaAdmin(admin.ModelAdmin):
    # Case texts stay out of the admin's lists; the title is de-identified.
    list_display = ["title", "group", "status", "created"]
    list_filter = ["organisation", "status"]
    raw_id_fields = ["group", "author"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit records: readable, never written by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "membership", "action", "kind", "object_uuid"]
    list_filter = ["organisation", "kind", "action"]


@admin.register(GuardOverride)
class GuardOverrideAdmin(ReadOnlyAdmin):
    list_display = ["created", "membership", "kind", "identifier_kinds", "fields"]
    list_filter = ["organisation", "kind"]
