from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from audit.admin import CaseTextAdmin

from .models import Dilemma, GuardOverride, ValueTension


@admin.register(ValueTension)
class ValueTensionAdmin(admin.ModelAdmin[ValueTension]):
    list_display = ["title", "organisation", "position"]
    list_filter = ["organisation"]


@admin.register(Dilemma)
class DilemmaAdmin(CaseTextAdmin[Dilemma]):
    # No case text in the list; opening a dilemma is an audited reading.
    list_display = ["uuid", "group", "status", "created"]
    list_filter = ["organisation", "status"]
    raw_id_fields = ["group", "author"]


@admin.register(GuardOverride)
class GuardOverrideAdmin(admin.ModelAdmin[GuardOverride]):
    """Records of the guard: readable, never written by hand."""

    list_display = ["created", "membership", "kind", "identifier_kinds", "fields"]
    list_filter = ["organisation", "kind"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: GuardOverride | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: GuardOverride | None = None
    ) -> bool:
        return False
