from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import ActionLocation

from .models import Commitment, CoreValue, LegalBasis, Section, ValueBase, Version


class DraftOnlyAdmin(admin.ModelAdmin):
    """Adopted versions are history: the admin shows them and changes nothing."""

    def _version_of(self, obj):
        return obj if isinstance(obj, Version) else obj.get_version()

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not self._version_of(obj).is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and not self._version_of(obj).is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # Bulk deletion would reach adopted versions; the model refuses anyway.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions


@admin.register(ValueBase)
class ValueBaseAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "organisation"]
    list_filter = ["organisation"]


@admin.register(Version)
class VersionAdmin(DraftOnlyAdmin):
    list_display = [
        "value_base",
        "number",
        "status",
        "adopted_on",
        "adopted_by",
        "effective_from",
        "effective_until",
    ]
    list_filter = ["status", "value_base__organisation"]
    readonly_fields = ["status", "effective_until", "author", "created", "modified"]


@admin.register(Section, LegalBasis, CoreValue)
class VersionContentAdmin(DraftOnlyAdmin):
    list_display = ["__str__", "key", "version"]
    list_filter = ["version__value_base__organisation"]
    readonly_fields = ["revision"]


@admin.register(Commitment)
class CommitmentAdmin(DraftOnlyAdmin):
    list_display = ["__str__", "key", "value"]
    readonly_fields = ["revision"]
