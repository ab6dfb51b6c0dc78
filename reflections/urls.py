from __future__ import annotations

from django.urls import path

from . import views

app_name = "reflections"

STEP = "reflections/<uuid:reflection_uuid>/steps/<int:position>/"

urlpatterns = [
    path("methods/", views.method_list, name="method_list"),
    path("methods/<uuid:method_uuid>/", views.method_detail, name="method_detail"),
    path("methods/<uuid:method_uuid>/copy/", views.method_copy, name="method_copy"),
    path("methods/<uuid:method_uuid>/edit/", views.method_change, name="method_change"),
    path(
        "reflections/agenda/<uuid:dilemma_uuid>/",
        views.agenda_add,
        name="agenda_add",
    ),
    path(
        "reflections/open/<uuid:item_uuid>/",
        views.reflection_open,
        name="open",
    ),
    path(
        "reflections/<uuid:reflection_uuid>/",
        views.reflection_detail,
        name="detail",
    ),
    path(
        "reflections/<uuid:reflection_uuid>/citations/",
        views.citations_save,
        name="citations",
    ),
    path(
        "reflections/<uuid:reflection_uuid>/sign-off/",
        views.reflection_sign_off,
        name="sign_off",
    ),
    path(
        "reflections/<uuid:reflection_uuid>/amendments/",
        views.amendment_add,
        name="amendment_add",
    ),
    path("reflections/<uuid:reflection_uuid>/log/", views.reflection_log, name="log"),
    path(
        "reflections/<uuid:reflection_uuid>/live/",
        views.session_live,
        name="live",
    ),
    path(STEP, views.step_detail, name="step"),
    path(STEP + "save/", views.step_save, name="step_save"),
    path(STEP + "notes/", views.step_notes, name="step_notes"),
    path(STEP + "pulse/", views.session_pulse, name="pulse"),
    path(STEP + "position/", views.position_save, name="position_save"),
    path(STEP + "items/<int:item_id>/", views.item_change, name="item_change"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<uuid:action_uuid>/done/", views.action_done, name="action_done"),
]
