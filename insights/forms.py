from __future__ import annotations

import datetime
from typing import Any, TypedDict, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.widgets import DatePartsWidget
from organisations.models import Unit

DATE = DatePartsWidget()
# Longer than this and a month's bar is a sliver; compare periods instead.
LONGEST = datetime.timedelta(days=5 * 366)


class Period(TypedDict):
    """What the insights cover when nothing is chosen."""

    unit: int | None
    start: datetime.date
    end: datetime.date


class PeriodForm(forms.Form):
    """Which units and which period the insights cover."""

    unit = forms.TypedChoiceField(
        label=_("Units"), coerce=int, required=False, empty_value=None
    )
    start = forms.DateField(label=_("From"), widget=DATE, required=False)
    end = forms.DateField(label=_("Until"), widget=DATE, required=False)

    def __init__(
        self,
        *args: Any,
        units: list[tuple[Unit, int]],
        everything: str,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        cast(forms.TypedChoiceField, self.fields["unit"]).choices = [
            ("", everything)
        ] + [(unit.pk, "\u2003" * depth + unit.name) for unit, depth in units]
        for name, value in self.defaults().items():
            self.fields[name].initial = value

    @staticmethod
    def defaults() -> Period:
        """The last twelve months, this one included."""
        today = timezone.localdate()
        first = today.replace(day=1)
        for _month in range(11):
            first = (first - datetime.timedelta(days=1)).replace(day=1)
        return {"unit": None, "start": first, "end": today}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        defaults = self.defaults()
        data["end"] = data.get("end") or defaults["end"]
        data["start"] = data.get("start") or defaults["start"]
        if data["start"] > data["end"]:
            self.add_error("end", _("The period must end after it starts."))
        elif data["end"] - data["start"] > LONGEST:
            self.add_error("end", _("Choose a period of at most five years."))
        return data
