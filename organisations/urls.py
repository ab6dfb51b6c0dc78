from __future__ import annotations

from django.urls import path

from . import import_views, views

# Included through home/urls.py, which adds the dashboard to the namespace.
app_name = "organisations"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/add/", views.unit_add, name="unit_add"),
    path("units/import/", import_views.unit_import, name="unit_import"),
    path("units/<int:unit_id>/", views.unit_change, name="unit_change"),
    path("units/<int:unit_id>/archive/", views.unit_archive, name="unit_archive"),
    path("units/<int:unit_id>/restore/", views.unit_restore, name="unit_restore"),
    path("members/", views.member_list, name="member_list"),
    path("members/add/", views.member_add, name="member_add"),
    path("members/<uuid:member_uuid>/", views.member_change, name="member_change"),
    path("members/import/", import_views.member_import, name="member_import"),
    path(
        "members/import/<uuid:import_uuid>/",
        import_views.member_import_preview,
        name="member_import_preview",
    ),
    path(
        "members/import/<uuid:import_uuid>/confirm/",
        import_views.member_import_confirm,
        name="member_import_confirm",
    ),
    path(
        "members/import/<uuid:import_uuid>/discard/",
        import_views.member_import_discard,
        name="member_import_discard",
    ),
    path(
        "members/<uuid:member_uuid>/deactivate/",
        views.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "members/<uuid:member_uuid>/reactivate/",
        views.member_reactivate,
        name="member_reactivate",
    ),
    path(
        "members/invitations/<uuid:invitation_uuid>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "members/invitations/<uuid:invitation_uuid>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("settings/", views.organisation_settings, name="settings"),
]
