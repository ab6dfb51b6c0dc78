from __future__ import annotations

from django.urls import path

from .views import calendar, groups, meeting, overview, series

app_name = "meetings"

urlpatterns = [
    path("groups/", groups.group_list, name="group_list"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<uuid:group_uuid>/", groups.group_detail, name="group_detail"),
    path("groups/<uuid:group_uuid>/edit/", groups.group_change, name="group_change"),
    path(
        "groups/<uuid:group_uuid>/schedule/",
        meeting.meeting_schedule,
        name="meeting_schedule",
    ),
    path("meetings/overview/", overview.overview, name="overview"),
    path("meetings/calendar/", calendar.calendar_subscription, name="calendar"),
    path(
        "meetings/<uuid:meeting_uuid>/", meeting.meeting_detail, name="meeting_detail"
    ),
    path(
        "meetings/<uuid:meeting_uuid>/answer/",
        meeting.meeting_answer,
        name="meeting_answer",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/edit/",
        meeting.meeting_change,
        name="meeting_change",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/cancel/",
        meeting.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/series/edit/",
        series.series_change,
        name="series_change",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/series/edit-following/",
        series.series_change_following,
        name="series_change_following",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/series/cancel/",
        series.series_cancel,
        name="series_cancel",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/attendance/",
        meeting.meeting_attendance,
        name="meeting_attendance",
    ),
    path(
        "meetings/<uuid:meeting_uuid>/meeting.ics",
        meeting.meeting_calendar_file,
        name="meeting_calendar_file",
    ),
]
