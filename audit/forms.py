from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.widgets import DatePartsWidget

from .models import ACTION_GROUPS, Kind, Outcome

if TYPE_CHECKING:
    from .models import AuditEventQuerySet


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Person (name or e-mail)"), required=False, max_length=300
    )
    object = forms.CharField(
        label=_("Object"),
        required=False,
        max_length=300,
        help_text=_("A name, such as a unit's, or the identifier of a case."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of object"),
        choices=[("", _("All kinds")), *Kind.choices],
        required=False,
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("", _("All actions")),
            *[
                (group, [(action.value, action.label) for action in actions])
                for group, actions in ACTION_GROUPS
            ],
        ],
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("All outcomes")), *Outcome.choices],
        required=False,
    )
    start = forms.DateField(label=_("From"), required=False, widget=DatePartsWidget())
    end = forms.DateField(label=_("To"), required=False, widget=DatePartsWidget())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        return data

    def filter(
        self, events: AuditEventQuerySet, time_zone: datetime.tzinfo
    ) -> AuditEventQuerySet:
        """The events that match what the form asks for (all if it is invalid)."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["person"]:
            events = events.filter(person__icontains=data["person"])
        if data["object"]:
            events = events.filter(_object_matches(data["object"].strip()))
        if data["kind"]:
            events = events.filter(object_kind=data["kind"])
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


def _object_matches(text: str) -> Q:
    """An identifier finds its object; any other text, the names holding it."""
    try:
        return Q(object_uuid=uuid.UUID(text))
    except ValueError:
        return Q(object_name__icontains=text)
