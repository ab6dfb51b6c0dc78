from __future__ import annotations

from django.contrib import admin

from .models import Audience


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "organisation", "position"]
    list_filter = ["organisation"]
