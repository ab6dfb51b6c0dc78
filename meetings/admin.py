from __future__ import annotations

from django.contrib import admin

from .models import Attendance, CalendarFeed, Meeting, Response, SentReminder, Series


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin[Series]):
    list_display = ["title", "group", "first_date", "frequency", "interval", "until"]
    list_filter = ["organisation"]
    readonly_fields = ["uid", "sequence"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ["title", "group", "start", "status", "attended_count"]
    list_filter = ["organisation", "status"]
    date_hierarchy = "start"
    raw_id_fields = ["group", "series", "created_by"]
    readonly_fields = ["uid", "sequence", "recurrence_id"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin[Response]):
    list_display = ["meeting", "membership", "answer", "answered"]
    raw_id_fields = ["meeting", "membership"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin[Attendance]):
    list_display = ["meeting", "membership"]
    raw_id_fields = ["meeting", "membership"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin[SentReminder]):
    list_display = ["meeting", "membership", "kind", "sent"]
    list_filter = ["kind"]
    raw_id_fields = ["meeting", "membership"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin[CalendarFeed]):
    # The hash is useless to an onlooker, but there is nothing to edit either.
    list_display = ["membership", "scope", "created"]
    readonly_fields = ["membership", "token_hash", "created"]
