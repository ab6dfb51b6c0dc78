from __future__ import annotations

import datetime
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django import forms
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import form_field
from lib.widgets import TIME_INPUT_FORMATS, DatePartsWidget, TimeTextInput
from organisations.forms import UnitChoiceField
from organisations.models import Membership, ReflectionGroup, Unit

from .models import (
    MAX_OCCURRENCES,
    CalendarFeed,
    Meeting,
    Response,
    Rule,
    Series,
    is_last_of_month,
    week_of_month,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = DatePartsWidget()
TIME = TimeTextInput()


class GroupForm(forms.ModelForm[ReflectionGroup]):
    class Meta:
        model = ReflectionGroup
        fields = [
            "name",
            "unit",
            "description",
            "facilitators",
            "members",
            "anonymous_positions",
            "reminder_hours",
        ]
        widgets = {
            "facilitators": forms.CheckboxSelectMultiple,
            "members": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "reminder_hours": forms.NumberInput(attrs={"min": 0, "max": 336}),
        }
        help_texts = {
            "reminder_hours": _(
                "Members get a reminder this many hours before each meeting "
                "(0: no reminder)."
            ),
        }

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = membership.organisation
        units = Unit.objects.for_organisation(self.organisation).filter(
            pk__in=membership.managed_unit_ids()
        )
        if self.instance.pk is None:
            units = units.current()
        unit = UnitChoiceField(
            label=self.fields["unit"].label,
            empty_label=form_field(self, "unit", forms.ModelChoiceField).empty_label,
        )
        self.fields["unit"] = unit
        unit.offer(units)
        people = (
            Membership.objects.for_organisation(self.organisation)
            .active()
            .select_related("user")
        )
        for name in ("facilitators", "members"):
            field = form_field(self, name, forms.ModelMultipleChoiceField)
            field.queryset = people
            # Set on the field, as Django's documentation shows; typed as a method.
            field.label_from_instance = lambda m: str(m.user)  # type: ignore[method-assign, assignment]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        taken = ReflectionGroup.objects.for_organisation(self.organisation).filter(
            name__iexact=name
        )
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("There is already a group with this name."))
        return name

    def clean_reminder_hours(self) -> int:
        hours: int = self.cleaned_data["reminder_hours"]
        if hours > 336:
            raise forms.ValidationError(
                _("Remind at most two weeks (336 hours) ahead.")
            )
        return hours


class _MeetingDetailsForm(forms.Form):
    # Folded until needed (includes/form_fields.html); open once it holds a link.
    disclosures = {"link": _("Add an online link")}

    title = forms.CharField(
        label=_("Title"), max_length=200, initial=_("Ethics reflection")
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("A room or an address. Give a place, an online link or both."),
    )
    link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One item per line, in order. Do not write names or details that "
            "could identify a client."
        ),
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=TIME,
        input_formats=TIME_INPUT_FORMATS,
        help_text=_("For example 13:30"),
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=TIME, input_formats=TIME_INPUT_FORMATS
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("place") and not data.get("link") and not self.errors:
            raise forms.ValidationError(_("Give a place, an online link or both."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The meeting must end after it starts."))
        return data


class Repeat(models.TextChoices):
    WEEKLY = "weekly", _("Weekly, on the same weekday")
    MONTHLY_DATE = "monthly_date", _("Monthly, on the same date")
    MONTHLY_WEEKDAY = (
        "monthly_weekday",
        _("Monthly, on the same weekday (such as the second Tuesday)"),
    )
    MONTHLY_LAST = (
        "monthly_last",
        _("Monthly, on the last such weekday (such as the last Thursday)"),
    )


class _RepeatForm(_MeetingDetailsForm):
    """The date and how a series repeats; `clean` puts a `Rule` in `rule`."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    repeat = forms.ChoiceField(label=_("Repeat"), choices=Repeat.choices)
    interval = forms.IntegerField(
        label=_("Every how many weeks or months"),
        min_value=1,
        max_value=12,
        initial=1,
        required=False,
        help_text=_("1: every week or month; 2: every second one; and so on."),
    )
    until = forms.DateField(
        label=_("Repeat until"),
        required=False,
        widget=DATE,
        help_text=_("The last date a meeting of the series may fall on."),
    )
    count = forms.IntegerField(
        label=_("Or: number of meetings"),
        min_value=1,
        max_value=MAX_OCCURRENCES,
        required=False,
        help_text=_("Give a last date or a number of meetings."),
    )

    def __init__(self, *args: Any, time_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone

    def today(self) -> datetime.date:
        with timezone.override(self.time_zone):
            return timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["rule"] = None
        day, repeat = data.get("date"), data.get("repeat")
        if not repeat or day is None:
            return data
        if "until" in self.errors or "count" in self.errors:
            return data
        try:
            data["rule"] = self._rule(data, day, repeat)
        except _Refused as refused:
            self.add_error(refused.field, refused.message)
        return data

    def _rule(self, data: dict[str, Any], day: datetime.date, repeat: str) -> Rule:
        """The series the form asks for, or _Refused where it cannot be made."""
        until, count = data.get("until"), data.get("count")
        _check_end(day, until, count)
        rule = Rule(
            first_date=day,
            frequency=(
                Series.Frequency.WEEKLY
                if repeat == Repeat.WEEKLY
                else Series.Frequency.MONTHLY
            ),
            interval=data.get("interval") or 1,
            week_of_month=_week_of_month(repeat, day),
            until=until,
            count=count,
        )
        if data.get("start_time") and data.get("end_time"):
            slots = rule.slots(
                data["start_time"], data["end_time"], ZoneInfo(self.time_zone)
            )
            if len(slots) > MAX_OCCURRENCES:
                raise _Refused(
                    "until" if until else "count",
                    _("A series can have at most %(count)s meetings.")
                    % {"count": MAX_OCCURRENCES},
                )
        return rule


class _Refused(Exception):
    """A series the form cannot make, and the field to say so at."""

    def __init__(self, field: str, message: StrOrPromise) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _check_end(day: date, until: date | None, count: int | None) -> None:
    """A series ends on a last date after its first, or after a number of meetings."""
    if until is None and count is None:
        raise _Refused("until", _("Give the last date or the number of meetings."))
    if until is not None and count is not None:
        raise _Refused(
            "count", _("Give either a last date or a number of meetings, not both.")
        )
    if until is not None and until < day:
        raise _Refused("until", _("The series must end after its first date."))


def _week_of_month(repeat: str, day: date) -> int | None:
    """The week of the month a monthly series repeats in (-1: the last), if any."""
    weekday = formats.date_format(day, "l")
    if repeat == Repeat.MONTHLY_DATE and day.day > 28:
        raise _Refused(
            "repeat",
            _(
                "Not every month has a day %(day)s: choose a date from 1 to 28, "
                "or repeat on the last such weekday."
            )
            % {"day": day.day},
        )
    if repeat == Repeat.MONTHLY_WEEKDAY:
        week = week_of_month(day)
        if week == 5:
            raise _Refused(
                "repeat",
                _(
                    "Not every month has a fifth %(weekday)s: repeat on the "
                    "last %(weekday)s instead."
                )
                % {"weekday": weekday},
            )
        return week
    if repeat == Repeat.MONTHLY_LAST:
        if not is_last_of_month(day):
            raise _Refused(
                "date",
                _(
                    "%(date)s is not the last %(weekday)s of its month: choose "
                    "that day, or another way to repeat."
                )
                % {
                    "date": formats.date_format(day, "DATE_FORMAT"),
                    "weekday": weekday,
                },
            )
        return -1
    return None


def repeat_initial(series: Series) -> dict[str, Any]:
    """The form's repeat fields for an existing series."""
    if series.frequency == Series.Frequency.WEEKLY:
        repeat = Repeat.WEEKLY
    elif series.week_of_month is None:
        repeat = Repeat.MONTHLY_DATE
    elif series.week_of_month == -1:
        repeat = Repeat.MONTHLY_LAST
    else:
        repeat = Repeat.MONTHLY_WEEKDAY
    return {
        "repeat": repeat,
        "interval": series.interval,
        "until": series.until,
        "count": series.count,
    }


class ScheduleForm(_RepeatForm):
    field_order = [
        "title",
        "date",
        "start_time",
        "end_time",
        "repeat",
        "interval",
        "until",
        "count",
        "place",
        "link",
        "agenda",
    ]

    # The series fields show once the meeting repeats (includes/form_fields.html).
    reveals = {"repeat": ("interval", "until", "count")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        repeat = form_field(self, "repeat", forms.ChoiceField)
        repeat.choices = [("", _("Does not repeat")), *Repeat.choices]
        self.fields["repeat"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("repeat"):
            # A single meeting: the series fields were hidden, and whatever is
            # in them (kept for a change of mind) is neither used nor wrong.
            for name in self.reveals["repeat"]:
                self.errors.pop(name, None)
                data.pop(name, None)
        return data

    def clean_date(self) -> date:
        day: date = self.cleaned_data["date"]
        if day < self.today():
            raise forms.ValidationError(_("Choose today or a later date."))
        return day


class MeetingChangeForm(_MeetingDetailsForm):
    date = forms.DateField(label=_("Date"), widget=DATE)
    field_order = ["title", "date", "start_time", "end_time", "place", "link", "agenda"]


class SeriesChangeForm(_RepeatForm):
    """Change a whole series, or an occurrence and the ones after it."""

    field_order = ScheduleForm.field_order

    def __init__(
        self, *args: Any, series: Series, start: Meeting, whole: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, time_zone=series.time_zone, **kwargs)
        self.series, self.start, self.whole = series, start, whole
        self.fields["date"].label = _("First date")
        self.fields["date"].help_text = (
            _(
                "Changing the first date, the weekday or the interval starts the "
                "new schedule on this date."
            )
            if whole
            else _("The new schedule starts on this date.")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rule = data.get("rule")
        if rule is None:
            return data
        rule_changed = not rule.same_pattern(self.series.rule)
        if not (self.whole and not rule_changed) and rule.first_date < self.today():
            self.add_error("date", _("Choose today or a later date."))
            return data
        # Every meeting of a series has the slot it was made for.
        assert self.start.recurrence_id is not None
        earlier = [
            start.date()
            for start, _end in self.series.slots()
            if start < self.start.recurrence_id
        ]
        splits = not self.whole or rule_changed
        if splits and earlier and rule.first_date <= earlier[-1]:
            self.add_error(
                "date",
                _("The new schedule must start after %(date)s, the meeting before.")
                % {"date": formats.date_format(earlier[-1], "DATE_FORMAT")},
            )
        return data


class CalendarFeedForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("What your subscription shows"),
        choices=CalendarFeed.Scope.choices,
        widget=forms.RadioSelect,
        # Only managers are offered a choice; everyone else gets their groups.
        required=False,
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you come?"),
        choices=Response.Answer.choices,
        widget=forms.RadioSelect,
    )


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Who attended?"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "present", forms.ModelMultipleChoiceField)
        field.queryset = Membership.objects.filter(pk__in=[m.pk for m in people])
        # Set on the field, as Django's documentation shows; typed as a method.
        field.label_from_instance = lambda m: str(m.user)  # type: ignore[method-assign, assignment]


class OverviewForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Groups without a meeting for (weeks)"),
        min_value=1,
        max_value=104,
        initial=8,
        required=False,
    )
    start = forms.DateField(label=_("Attendance from"), widget=DATE, required=False)
    end = forms.DateField(label=_("Attendance until"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, value in self.defaults().items():
            self.fields[name].initial = value

    @staticmethod
    def defaults() -> dict[str, Any]:
        today = timezone.localdate()
        return {"weeks": 8, "start": today - timedelta(days=90), "end": today}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        defaults = self.defaults()
        data["weeks"] = data.get("weeks") or defaults["weeks"]
        data["end"] = data.get("end") or defaults["end"]
        data["start"] = data.get("start") or data["end"] - timedelta(days=90)
        if data["start"] > data["end"]:
            self.add_error("end", _("The period must end after it starts."))
        return data
