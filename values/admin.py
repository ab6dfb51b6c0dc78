from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import Action, ActionLocation
from django.http import HttpRequest

from .models import (
    Commitment,
    CoreValue,
    LegalBasis,
    Section,
    ValueBase,
    Version,
    VersionContent,
)


class DraftOnlyAdmin[M: Version | VersionContent](admin.ModelAdmin[M]):
    """Adopted versions are history: the admin shows them and changes nothing."""

    def _version_of(self, obj: M) -> Version:
        return obj if isinstance(obj, Version) else obj.get_version()

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        if obj is not None and not self._version_of(obj).is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        if obj is not None and not self._version_of(obj).is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(
        self,
        request: HttpRequest,
        action_location: ActionLocation = ActionLocation.CHANGE_LIST,
    ) -> dict[str, Action | None]:
        # Bulk deletion would reach adopted versions; the model refuses anyway.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions


@admin.register(ValueBase)
class ValueBaseAdmin(admin.ModelAdmin[ValueBase]):
    list_display = ["name", "slug", "organisation"]
    list_filter = ["organisation"]


@admin.register(Version)
class VersionAdmin(DraftOnlyAdmin[Version]):
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
class VersionContentAdmin(DraftOnlyAdmin[Section | LegalBasis | CoreValue]):
    list_display = ["__str__", "key", "version"]
    list_filter = ["version__value_base__organisation"]
    readonly_fields = ["revision"]


@admin.register(Commitment)
class CommitmentAdmin(DraftOnlyAdmin[Commitment]):
    list_display = ["__str__", "key", "value"]
    readonly_fields = ["revision"]
