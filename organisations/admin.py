from __future__ import annotations

from django.contrib import admin

from audit.admin import AuditedAdmin

from .models import Membership, Organisation, ReflectionGroup, Unit


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin[Organisation]):
    list_display = ["name", "slug", "language", "time_zone", "require_mfa"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin[Unit]):
    list_display = ["name", "kind", "parent", "organisation"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin[Membership]):
    list_display = ["user", "organisation", "role", "unit", "is_active"]
    list_filter = ["organisation", "role", "is_active"]
    search_fields = ["user__email", "user__name"]
    raw_id_fields = ["user", "unit"]
    filter_horizontal = ["audiences"]


@admin.register(ReflectionGroup)
class ReflectionGroupAdmin(AuditedAdmin[ReflectionGroup]):
    list_display = ["name", "unit", "organisation"]
    list_filter = ["organisation"]
    filter_horizontal = ["facilitators", "members"]
