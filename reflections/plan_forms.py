"""The facilitator's forms for the plan of a session and for pausing it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting

from .forms import MeetingChoiceField
from .models import Reflection, ReflectionStep
from .plan import MOST_MINUTES, fitting, has_record, offered_plans, session_length


class PlanForm(forms.Form):
    """Each step's time box and whether the plan skips it; or a ready plan picked.

    A plan longer than the session may take is refused unless the facilitator
    says the group will go on at its next meeting.
    """

    longer = forms.BooleanField(
        label=_("The plan may run past this meeting: the group goes on at its next."),
        required=False,
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        reflection: Reflection,
        steps: list[ReflectionStep],
    ) -> None:
        super().__init__(data, prefix="plan")
        self.reflection = reflection
        self.steps = steps
        self.plans = offered_plans(reflection, steps)
        self.minutes: dict[int, int] = {}
        self.skipped: set[int] = set()
        self.picked: int | None = None
        for step in steps:
            self.fields[f"minutes_{step.position}"] = forms.IntegerField(
                label=_("Minutes for step %(number)s, %(title)s")
                % {"number": step.position, "title": step.title},
                required=False,
                min_value=1,
                max_value=MOST_MINUTES,
                initial=step.minutes,
                error_messages={
                    "min_value": _(
                        "A time box is at least 1 minute. To leave the step out, "
                        "tick Skip."
                    ),
                    "max_value": _("A time box is at most %(limit_value)s minutes."),
                    "invalid": _("Write the minutes as a whole number."),
                },
                widget=forms.NumberInput(attrs={"class": "input--minutes"}),
            )
            self.fields[f"skip_{step.position}"] = forms.BooleanField(
                label=_("Skip step %(number)s") % {"number": step.position},
                required=False,
                initial=step.skipped,
            )

    def minutes_field(self, step: ReflectionStep) -> forms.BoundField:
        return self[f"minutes_{step.position}"]

    def skip_field(self, step: ReflectionStep) -> forms.BoundField:
        return self[f"skip_{step.position}"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._refuse_unknown_steps()
        if self.data.get("use"):
            self._take_picked_plan(self.data["use"])
        else:
            self._take_typed_plan(cleaned)
        if self.errors:
            return cleaned
        kept = [s for s in self.steps if s.position not in self.skipped]
        if not kept:
            self.add_error(None, _("Keep at least one step."))
            return cleaned
        self._check_length(cleaned)
        return cleaned

    def _refuse_unknown_steps(self) -> None:
        known = {str(s.position) for s in self.steps}
        for key in self.data:
            for part in ("minutes_", "skip_"):
                name = key.removeprefix(f"{self.prefix}-{part}")
                if name != key and name not in known:
                    self.add_error(
                        None,
                        _(
                            "The plan names a step this session does not have. "
                            "Reload the page and fit the plan again."
                        ),
                    )
                    return

    def _take_picked_plan(self, value: str) -> None:
        length = int(value) if value.isascii() and value.isdigit() else None
        if length not in self.plans:
            self.add_error(None, _("This method has no such ready plan."))
            return
        assert length is not None  # A key of self.plans.
        self.picked = length
        for step, minutes in zip(self.steps, self.plans[length], strict=True):
            if minutes is None:
                self.skipped.add(step.position)
            else:
                self.minutes[step.position] = minutes

    def _take_typed_plan(self, cleaned: dict[str, Any]) -> None:
        for step in self.steps:
            minutes_name = f"minutes_{step.position}"
            if cleaned.get(f"skip_{step.position}"):
                self.skipped.add(step.position)
            elif cleaned.get(minutes_name) is None and minutes_name not in self.errors:
                self.add_error(
                    minutes_name,
                    _("Give the step a time box in minutes, or tick Skip."),
                )
            if cleaned.get(minutes_name) is not None:
                self.minutes[step.position] = cleaned[minutes_name]
        for step in self.steps:
            if (
                step.position in self.skipped
                and not step.skipped
                and has_record(self.reflection, step)
            ):
                self.add_error(
                    f"skip_{step.position}",
                    _(
                        "Something is already written on this step, so it "
                        "cannot be skipped: it stays in the record."
                    ),
                )

    def _check_length(self, cleaned: dict[str, Any]) -> None:
        """Refuse a plan longer than the meeting, unless the group goes on later."""
        if cleaned.get("longer"):
            return
        steps = fitting(self.reflection, self.steps)
        total = sum(
            self.minutes.get(s.position, s.minutes or 0)
            for s in steps
            if s.position not in self.skipped
        )
        length = session_length(self.reflection, self.steps)
        if total > length:
            self.add_error(
                None,
                _(
                    "The plan takes %(total)s minutes, but the meeting is "
                    "%(length)s minutes long. Shorten or skip steps, or tick the "
                    "box below if the group will go on at its next meeting."
                )
                % {"total": total, "length": length},
            )


def next_meetings(reflection: Reflection) -> QuerySet[Meeting]:
    """The group's meetings a paused session can go on in: later, not cancelled,
    without this dilemma on their agenda already."""
    return (
        Meeting.objects.filter(
            organisation=reflection.organisation,
            group=reflection.dilemma.group,
            start__gt=max(reflection.meeting.start, timezone.now()),
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(agenda_dilemmas__dilemma=reflection.dilemma)
        .exclude(reflections__dilemma=reflection.dilemma)
        .order_by("start")
    )


class PauseForm(forms.Form):
    meeting = MeetingChoiceField(
        label=_("Go on at the meeting"), queryset=Meeting.objects.none()
    )

    def __init__(
        self, data: QueryDict | None = None, *, reflection: Reflection
    ) -> None:
        super().__init__(data, prefix="pause")
        choices = next_meetings(reflection)
        field = self.fields["meeting"]
        assert isinstance(field, MeetingChoiceField)
        field.queryset = choices
        first = choices.first()
        if first is not None:
            self.initial["meeting"] = first.pk
