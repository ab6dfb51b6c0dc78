from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from audit.admin import CaseTextAdmin

from .models import Action, AgendaItem, Amendment, Method, MethodStep, Reflection


class MethodStepInline(admin.TabularInline[MethodStep, Method]):
    model = MethodStep
    extra = 0


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin[Method]):
    list_display = ["name", "organisation", "copied_from"]
    list_filter = ["organisation"]
    inlines = [MethodStepInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin[AgendaItem]):
    list_display = ["uuid", "meeting", "method"]
    raw_id_fields = ["meeting", "dilemma", "method", "added_by"]


@admin.register(Reflection)
class ReflectionAdmin(CaseTextAdmin[Reflection]):
    """Signed-off reflections are read-only here as everywhere else."""

    list_display = ["uuid", "meeting", "method_name", "status", "signed_off"]
    list_filter = ["organisation", "status"]
    raw_id_fields = [
        "dilemma",
        "meeting",
        "method",
        "version",
        "facilitator",
        "signed_off_by",
    ]

    def has_change_permission(
        self, request: HttpRequest, obj: Reflection | None = None
    ) -> bool:
        if obj is not None and obj.is_signed_off:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(
        self, request: HttpRequest, obj: Reflection | None = None
    ) -> bool:
        if obj is not None and obj.is_signed_off:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Action)
class ActionAdmin(CaseTextAdmin[Action]):
    list_display = ["uuid", "owner", "due", "done"]
    list_filter = ["organisation"]
    raw_id_fields = ["reflection", "owner", "follow_up", "done_by"]
    readonly_fields = ["reflection", "text", "owner", "due", "follow_up"]


@admin.register(Amendment)
class AmendmentAdmin(CaseTextAdmin[Amendment]):
    list_display = ["pk", "author", "created"]

    def has_change_permission(
        self, request: HttpRequest, obj: Amendment | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Amendment | None = None
    ) -> bool:
        return False
