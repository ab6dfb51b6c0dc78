from __future__ import annotations

from django.contrib import admin

from .models import PracticeCase


@admin.register(PracticeCase)
class PracticeCaseAdmin(admin.ModelAdmin[PracticeCase]):
    list_display = ["uuid", "key", "area", "organisation", "changed"]
    list_filter = ["area", "organisation"]
    raw_id_fields = ["created_by"]
