from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Acknowledgement


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin[Acknowledgement]):
    """Read only: a confirmation is recorded once, by the member, and audited."""

    list_display = ["membership", "version", "acknowledged"]
    list_select_related = ["membership__user", "version__value_base"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Acknowledgement | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Acknowledgement | None = None
    ) -> bool:
        return False
