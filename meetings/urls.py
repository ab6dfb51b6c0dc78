from __future__ import annotations

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<uuid:group_uuid>/", views.group_detail, name="group_detail"),
    path("groups/<uuid:group_uuid>/edit/", views.group_change, name="group_change"),
    path(
        "groups/<uuid:group_uuid>/schedule/",
        views.meeting_schedule,
        name="meeting_schedule",
    ),
    path("meetings/overview/", views.overview, name="overview"),
    path("meetings/calendar/", views.calendar_subscription, name="calendar"),
    path("meetings/<uuid:meeting_uuid>/", views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<uuid:meeting_uuid>/answer/",
        views.meeting_answer,
        name="meeting_answer",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/edit/",
        views.meeting_change,
        name="meeting_change",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/cancel/",
        views.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/series/edit/",
        views.series_change,
        name="series_change",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/series/edit-following/",
        views.series_change_following,
        name="series_change_following",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/series/cancel/",
        views.series_cancel,
        name="series_cancel",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/attendance/",
        views.meeting_attendance,
        name="meeting_attendance",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/meeting.ics",
        views.meeting_calendar_file,
        name="meeting_calendar_file",
    ),
]
