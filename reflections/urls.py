from __future__ import annotations

from django.urls import path

from .views import (
    actions,
    agenda,
    easyread,
    log,
    methods,
    now,
    plan,
    record,
    session,
    step_save,
)

app_name = "reflections"

STEP = "reflections/<uuid:reflection_uuid>/steps/<int:position>/"

urlpatterns = [
    path("methods/", methods.method_list, name="method_list"),
    path("methods/<uuid:method_uuid>/", methods.method_detail, name="method_detail"),
    path("methods/<uuid:method_uuid>/copy/", methods.method_copy, name="method_copy"),
    path(
        "methods/<uuid:method_uuid>/edit/", methods.method_change, name="method_change"
    ),
    path(
        "reflections/agenda/<uuid:dilemma_uuid>/",
        agenda.agenda_add,
        name="agenda_add",
    ),
    path(
        "reflections/now/<uuid:dilemma_uuid>/",
        now.session_now,
        name="session_now",
    ),
    path(
        "reflections/open/<uuid:item_uuid>/",
        agenda.reflection_open,
        name="open",
    ),
    path(
        "reflections/<uuid:reflection_uuid>/",
        record.reflection_detail,
        name="detail",
    ),
    path(
        "reflections/<uuid:reflection_uuid>/citations/",
        record.citations_save,
        name="citations",
    ),
    path(
        "reflections/<uuid:reflection_uuid>/sign-off/",
        record.reflection_sign_off,
        name="sign_off",
    ),
    path(
        "reflections/<uuid:reflection_uuid>/amendments/",
        record.amendment_add,
        name="amendment_add",
    ),
    path("reflections/<uuid:reflection_uuid>/plan/", plan.plan_change, name="plan"),
    path(
        "reflections/<uuid:reflection_uuid>/pause/",
        plan.session_pause,
        name="pause",
    ),
    path(
        "reflections/<uuid:reflection_uuid>/resume/",
        plan.session_resume,
        name="resume",
    ),
    path("reflections/<uuid:reflection_uuid>/log/", log.reflection_log, name="log"),
    path(
        "reflections/<uuid:reflection_uuid>/log.pdf",
        log.reflection_log_pdf,
        name="log_pdf",
    ),
    path(
        "reflections/<uuid:reflection_uuid>/easy-read/",
        easyread.easy_read_edit,
        name="easy_read",
    ),
    path(
        "reflections/<uuid:reflection_uuid>/easy-read/print/",
        easyread.easy_read_print,
        name="easy_read_print",
    ),
    path(
        "reflections/<uuid:reflection_uuid>/live/",
        session.session_live,
        name="live",
    ),
    path(STEP, session.step_detail, name="step"),
    path(STEP + "save/", step_save.step_save, name="step_save"),
    path(STEP + "notes/", session.step_notes, name="step_notes"),
    path(STEP + "pulse/", session.session_pulse, name="pulse"),
    path(STEP + "position/", session.position_save, name="position_save"),
    path(STEP + "items/<int:item_id>/", session.item_change, name="item_change"),
    path("actions/", actions.action_list, name="action_list"),
    path("actions/<uuid:action_uuid>/done/", actions.action_done, name="action_done"),
]
