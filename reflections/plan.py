"""A session's plan to the clock: each step's time box, the total, the time left.

The plan is kept on the session's own steps (their minutes, and whether the
plan skips them), so that the record shows the session as it was run. Its
length is the meeting's; a session with no meeting to measure uses the time
boxes of its method. Built-in methods ship with plans for 60 and 90 minutes
(reflections.builtin); a facilitator picks one, or fits the steps by hand.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from . import builtin
from .models import Method, Reflection, ReflectionStep, StepKind

# A time box longer than this is a typing error, not a plan.
MOST_MINUTES = 240


@dataclass(frozen=True)
class Plan:
    """The plan of a session as the runner shows it, at one moment."""

    # Minutes of the steps the plan keeps.
    total: int
    # How long the session may take: the meeting, else the method's time boxes.
    length: int
    # Whether `length` is the meeting's (else the method's).
    from_meeting: bool
    # Minutes of the group's step and the steps after it that the plan keeps.
    to_go: int
    # When the meeting ends, while it is on; None before it starts and after.
    ends: datetime.datetime | None
    # Whole minutes left of the meeting, while it is on.
    left: int | None
    skipped: int

    @property
    def over(self) -> int:
        """Minutes the whole plan is longer than the session may take."""
        return max(0, self.total - self.length)

    @property
    def short(self) -> int:
        """Minutes the steps still to go need beyond what is left of the meeting."""
        return 0 if self.left is None else max(0, self.to_go - self.left)


def kept_minutes(steps: Iterable[ReflectionStep]) -> int:
    return sum(s.minutes or 0 for s in steps if not s.skipped)


def method_minutes(reflection: Reflection, steps: list[ReflectionStep]) -> int:
    """The time boxes of the session's method, as it ships."""
    if reflection.method is not None:
        minutes = reflection.method.steps.values_list("minutes", flat=True)
        total = sum(m or 0 for m in minutes)
        if total:
            return total
    return sum(s.minutes or 0 for s in steps)


def session_length(reflection: Reflection, steps: list[ReflectionStep]) -> int:
    """How long the session may take: its meeting, else its method."""
    return reflection.meeting_minutes or method_minutes(reflection, steps)


def fitting(
    reflection: Reflection, steps: list[ReflectionStep]
) -> list[ReflectionStep]:
    """The steps that must fit into this meeting.

    All of them, unless the session began in an earlier meeting: then the
    steps from the group's step on.
    """
    if reflection.began_in_id is None:
        return steps
    return [s for s in steps if s.position >= reflection.current_step]


def plan_of(
    reflection: Reflection, steps: list[ReflectionStep], now: datetime.datetime
) -> Plan:
    meeting = reflection.meeting
    on = meeting.start <= now < meeting.end
    left = int((meeting.end - now).total_seconds()) // 60 if on else None
    return Plan(
        total=kept_minutes(steps),
        length=session_length(reflection, steps),
        from_meeting=reflection.meeting_minutes is not None,
        to_go=kept_minutes(s for s in steps if s.position >= reflection.current_step),
        ends=meeting.end if on else None,
        left=left,
        skipped=sum(1 for s in steps if s.skipped),
    )


def offered_plans(
    reflection: Reflection, steps: list[ReflectionStep]
) -> dict[int, tuple[int | None, ...]]:
    """The ready plans of the session's method (or of the one it was adapted from)."""
    method: Method | None = reflection.method
    # An adapted copy of an adapted copy still has the built-in at its root.
    for _depth in range(5):
        if method is None:
            return {}
        plans = builtin.plans_for(method.key, len(steps))
        if plans:
            return plans
        method = method.copied_from
    return {}


def has_record(reflection: Reflection, step: ReflectionStep) -> bool:
    """Whether anything is written on the step, so that skipping it would hide it."""
    if step.notes.strip():
        return True
    if step.kind == StepKind.OPTIONS:
        return step.options.exists()
    if step.kind == StepKind.PERSPECTIVES:
        return step.perspectives.exists()
    if step.kind == StepKind.POSITIONS:
        return step.positions.exists()
    if step.kind == StepKind.AGREEMENTS:
        return reflection.actions.exists()
    return False


@transaction.atomic
def apply_plan(
    steps: list[ReflectionStep], minutes: dict[int, int], skipped: set[int]
) -> list[ReflectionStep]:
    """Give each step its time box and mark the ones the plan skips.

    Returns the steps that changed.
    """
    changed = []
    for step in steps:
        new_minutes = minutes.get(step.position, step.minutes)
        new_skipped = step.position in skipped
        if (new_minutes, new_skipped) != (step.minutes, step.skipped):
            step.minutes = new_minutes
            step.skipped = new_skipped
            step.save(update_fields=["minutes", "skipped"])
            changed.append(step)
    return changed


def next_kept(
    steps: list[ReflectionStep], position: int, direction: int
) -> ReflectionStep | None:
    """The nearest step the plan keeps after (1) or before (-1) `position`."""
    ordered = steps if direction > 0 else list(reversed(steps))
    for step in ordered:
        if (step.position - position) * direction > 0 and not step.skipped:
            return step
    return None
