from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, ReflectionGroup, Unit

from .models import MAX_OCCURRENCES, Response, series_slots

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class GroupForm(forms.ModelForm):
    class Meta:
        model = ReflectionGroup
        fields = [
            "name",
            "unit",
            "description",
            "facilitators",
            "members",
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

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = membership.organisation
        self.fields["unit"].queryset = Unit.objects.for_organisation(
            self.organisation
        ).filter(pk__in=membership.managed_unit_ids())
        people = (
            Membership.objects.for_organisation(self.organisation)
            .active()
            .select_related("user")
        )
        self.fields["facilitators"].queryset = people
        self.fields["members"].queryset = people
        for name in ("facilitators", "members"):
            self.fields[name].label_from_instance = lambda m: str(m.user)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = ReflectionGroup.objects.for_organisation(self.organisation).filter(
            name__iexact=name
        )
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("There is already a group with this name."))
        return name

    def clean_reminder_hours(self) -> int:
        hours = self.cleaned_data["reminder_hours"]
        if hours > 336:
            raise forms.ValidationError(
                _("Remind at most two weeks (336 hours) ahead.")
            )
        return hours


class _MeetingDetailsForm(forms.Form):
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
    start_time = forms.TimeField(label=_("Starts at"), widget=TIME)
    end_time = forms.TimeField(label=_("Ends at"), widget=TIME)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("place") and not data.get("link") and not self.errors:
            raise forms.ValidationError(_("Give a place, an online link or both."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The meeting must end after it starts."))
        return data


class ScheduleForm(_MeetingDetailsForm):
    date = forms.DateField(label=_("Date"), widget=DATE)
    interval_weeks = forms.TypedChoiceField(
        label=_("Repeat"),
        coerce=int,
        choices=[
            (0, _("Does not repeat")),
            (1, _("Every week")),
            (2, _("Every second week")),
            (3, _("Every third week")),
            (4, _("Every fourth week")),
            (6, _("Every sixth week")),
            (8, _("Every eighth week")),
        ],
        initial=0,
    )
    until = forms.DateField(
        label=_("Repeat until"),
        required=False,
        widget=DATE,
        help_text=_("The last date a repeating meeting may fall on."),
    )
    field_order = [
        "title",
        "date",
        "start_time",
        "end_time",
        "interval_weeks",
        "until",
        "place",
        "link",
        "agenda",
    ]

    def __init__(self, *args, time_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        with timezone.override(self.time_zone):
            if day < timezone.localdate():
                raise forms.ValidationError(_("Choose today or a later date."))
        return day

    def clean(self) -> dict:
        data = super().clean()
        weeks, until, day = (
            data.get("interval_weeks"),
            data.get("until"),
            data.get("date"),
        )
        if not weeks or day is None:
            data["until"] = None
            return data
        if until is None:
            self.add_error("until", _("Give the last date of the series."))
        elif until < day:
            self.add_error("until", _("The series must end after its first date."))
        elif data.get("start_time") and data.get("end_time"):
            slots = series_slots(
                first_date=day,
                start_time=data["start_time"],
                end_time=data["end_time"],
                interval_weeks=weeks,
                until=until,
                tz=ZoneInfo(self.time_zone),
            )
            if len(slots) > MAX_OCCURRENCES:
                self.add_error(
                    "until",
                    _("A series can have at most %(count)s meetings.")
                    % {"count": MAX_OCCURRENCES},
                )
        return data


class MeetingChangeForm(_MeetingDetailsForm):
    date = forms.DateField(label=_("Date"), widget=DATE)
    field_order = ["title", "date", "start_time", "end_time", "place", "link", "agenda"]


class SeriesChangeForm(_MeetingDetailsForm):
    until = forms.DateField(
        label=_("Repeat until"),
        widget=DATE,
        help_text=_("The last date a meeting of the series may fall on."),
    )
    field_order = [
        "title",
        "start_time",
        "end_time",
        "until",
        "place",
        "link",
        "agenda",
    ]

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.series = series

    def clean_until(self) -> date:
        until = self.cleaned_data["until"]
        if until < self.series.first_date:
            raise forms.ValidationError(_("The series must end after its first date."))
        if until > self.series.first_date + timedelta(
            weeks=self.series.interval_weeks * (MAX_OCCURRENCES - 1)
        ):
            raise forms.ValidationError(
                _("A series can have at most %(count)s meetings.")
                % {"count": MAX_OCCURRENCES}
            )
        return until


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

    def __init__(self, *args, people: list[Membership], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        field.queryset = Membership.objects.filter(pk__in=[m.pk for m in people])
        field.label_from_instance = lambda m: str(m.user)


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in self.defaults().items():
            self.fields[name].initial = value

    @staticmethod
    def defaults() -> dict:
        today = timezone.localdate()
        return {"weeks": 8, "start": today - timedelta(days=90), "end": today}

    def clean(self) -> dict:
        data = super().clean()
        defaults = self.defaults()
        data["weeks"] = data.get("weeks") or defaults["weeks"]
        data["end"] = data.get("end") or defaults["end"]
        data["start"] = data.get("start") or data["end"] - timedelta(days=90)
        if data["start"] > data["end"]:
            self.add_error("end", _("The period must end after it starts."))
        return data
