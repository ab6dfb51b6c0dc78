from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Model

from .changes import FormChanges
from .models import Action, AuditCheckpoint, AuditEvent, Via, record_request

if TYPE_CHECKING:
    from django import forms
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse


class CaseTextAdmin[M: Model](admin.ModelAdmin[M]):
    """Admin pages of models that hold case text: every reading is audited.

    The lists show no case text; opening one record is a reading like any
    other and is written to the audit log, as is every change made here.
    """

    # No bulk actions: their checkboxes are labelled with each record's title.
    actions = None

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: M | None = None,
    ) -> HttpResponse:
        if obj is not None:
            record_request(request, Action.READ, obj)
        return super().render_change_form(
            request, context, add, change, form_url=form_url, obj=obj
        )

    def save_model(
        self, request: HttpRequest, obj: M, form: forms.Form, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        record_request(request, Action.CHANGE if change else Action.CREATE, obj)


class AuditedAdmin[M: Model](admin.ModelAdmin[M]):
    """Admin pages of members, units, organisations and accounts: changes audited.

    A superuser's change there is a row like an administrator's in the
    product, with what changed; so is a deletion, written before it happens.
    """

    def save_model(
        self, request: HttpRequest, obj: M, form: forms.Form, change: bool
    ) -> None:
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

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        record_request(request, Action.DELETE, obj, via=Via.ADMIN)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        for obj in queryset:
            record_request(request, Action.DELETE, obj, via=Via.ADMIN)
        super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: AuditEvent | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: AuditEvent | None = None
    ) -> bool:
        return False


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(admin.ModelAdmin[AuditCheckpoint]):
    """The heads verify_audit found: readable, never written by hand."""

    list_display = ["at", "organisation_id", "count", "head"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: AuditCheckpoint | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: AuditCheckpoint | None = None
    ) -> bool:
        return False
