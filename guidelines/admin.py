from __future__ import annotations

from django.contrib import admin

from values.admin import DraftOnlyAdmin

from .models import Audience, Guideline, LeadIn


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin[Audience]):
    list_display = ["name", "key", "organisation", "position"]
    list_filter = ["organisation"]


@admin.register(Guideline)
class GuidelineAdmin(DraftOnlyAdmin[Guideline]):
    list_display = ["title", "key", "audience", "version"]
    list_filter = ["version__value_base__organisation"]
    readonly_fields = ["revision"]


@admin.register(LeadIn)
class LeadInAdmin(DraftOnlyAdmin[LeadIn]):
    list_display = ["__str__", "audience", "version"]
    list_filter = ["version__value_base__organisation"]
    readonly_fields = ["revision"]
