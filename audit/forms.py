from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.widgets import DatePartsWidget

from .models import Action, Outcome


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Person (name or e-mail)"), required=False)
    object = forms.UUIDField(
        label=_("Object"),
        required=False,
        help_text=_("The identifier of a dilemma, reflection or action."),
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("All actions")), *Action.choices],
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("All outcomes")), *Outcome.choices],
        required=False,
    )
    start = forms.DateField(label=_("From"), required=False, widget=DatePartsWidget())
    end = forms.DateField(label=_("To"), required=False, widget=DatePartsWidget())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        return data

    def filter(self, events, time_zone: datetime.tzinfo):
        """The events that match what the form asks for (all if it is invalid)."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["person"]:
            events = events.filter(person__icontains=data["person"])
        if data["object"]:
            events = events.filter(object_uuid=data["object"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["outcome"]:
            events = events.filter(outcome=data["outcome"])
        # Days are the organisation's days, whatever the server's clock says.
        if data["start"]:
            events = events.filter(
                at__gte=datetime.datetime.combine(
                    data["start"], datetime.time.min, time_zone
                )
            )
        if data["end"]:
            events = events.filter(
                at__lt=datetime.datetime.combine(
                    data["end"] + datetime.timedelta(days=1),
                    datetime.time.min,
                    time_zone,
                )
            )
        return events
