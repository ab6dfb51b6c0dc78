from __future__ import annotations

from django.contrib import admin

from .models import Dismissal


@admin.register(Dismissal)
class DismissalAdmin(admin.ModelAdmin[Dismissal]):
    list_display = ["membership", "created"]
    readonly_fields = ["membership", "created"]
