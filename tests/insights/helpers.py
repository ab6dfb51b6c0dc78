"""A small municipality to learn from: two areas, a group in each, past sessions.

Socialförvaltningen (administration; the top manager)
├── Barn och familj (area; the manager)
│   └── Utredning (unit; the children's group)
└── Vuxen (area)
    └── Beroende (unit; the adults' group)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from dilemmas.models import Dilemma, ValueTension
from evaluations.models import Evaluation
from organisations.models import Membership, Organisation, ReflectionGroup, Unit
from reflections.models import Action, Reflection, sign_off
from tests.dilemmas.helpers import make_dilemma, make_meeting, start_reflection
from tests.evaluations.helpers import scores
from tests.factories import make_group, make_member, make_unit
from tests.values.helpers import adopt, fill, make_base, make_draft

# Fixed past dates, whatever day the tests run.
START, END = datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)


@dataclass
class Town:
    org: Organisation
    top: Unit
    children: Unit
    investigation: Unit
    adults: Unit
    addiction: Unit
    top_manager: Membership
    manager: Membership
    facilitator: Membership
    people: list[Membership]
    children_group: ReflectionGroup
    adults_group: ReflectionGroup
    content: dict


def make_town(org: Organisation) -> Town:
    top = make_unit(org, "Socialförvaltningen", kind=Unit.Kind.ADMINISTRATION)
    children = make_unit(org, "Barn och familj", kind=Unit.Kind.AREA, parent=top)
    investigation = make_unit(org, "Utredning", parent=children)
    adults = make_unit(org, "Vuxen", kind=Unit.Kind.AREA, parent=top)
    addiction = make_unit(org, "Beroende", parent=adults)
    facilitator = make_member(
        org, "facilitator", unit=investigation, name="Fredrik Facilitator"
    )
    people = [
        make_member(
            org,
            "staff",
            unit=investigation,
            email=f"deltagare{i}@{org.slug}.example",
            name=f"Deltagare {i}",
        )
        for i in range(1, 7)
    ]
    version = make_draft(make_base(org), 1)
    content = fill(version)
    adopt(version, datetime.date(2023, 1, 1))
    return Town(
        org=org,
        top=top,
        children=children,
        investigation=investigation,
        adults=adults,
        addiction=addiction,
        top_manager=make_member(
            org, "manager", unit=top, email=f"forvaltningschef@{org.slug}.example"
        ),
        manager=make_member(
            org, "manager", unit=children, email=f"omradeschef@{org.slug}.example"
        ),
        facilitator=facilitator,
        people=people,
        children_group=make_group(
            org,
            investigation,
            "Etikgruppen barn",
            facilitators=[facilitator],
            members=people,
        ),
        adults_group=make_group(
            org,
            addiction,
            "Etikgruppen vuxen",
            facilitators=[facilitator],
            members=people,
        ),
        content=content,
    )


def add_session(
    town: Town,
    group: ReflectionGroup,
    day: datetime.date,
    *,
    tensions: tuple[str, ...] = ("care-autonomy",),
    values: tuple[str, ...] = ("dignity",),
    guideline: bool = False,
    raised_days_before: int = 10,
    action_due: datetime.date | None = None,
    action_done: bool = False,
    answers: int = 0,
    title: str = "Hemtjänst mot brukarens vilja",
    comment: str = "",
    present: int = 6,
    close: bool = True,
    person_present: str = "",
) -> Reflection:
    """A held meeting with attendance, a dilemma discussed, signed off, evaluated."""
    meeting = make_meeting(group, day)
    meeting.record_attendance([town.facilitator, *town.people[:present]])
    dilemma = make_dilemma(group, town.people[0], title=title)
    Dilemma.objects.filter(pk=dilemma.pk).update(
        created=meeting.start - datetime.timedelta(days=raised_days_before)
    )
    dilemma.tensions.set(
        ValueTension.objects.seeded_for(town.org).filter(key__in=tensions)
    )
    reflection = start_reflection(meeting, dilemma, town.facilitator)
    reflection.cite(
        values=[town.content[key] for key in values],
        guidelines=[town.content["guideline"]] if guideline else [],
    )
    Action.objects.create(
        organisation=town.org,
        reflection=reflection,
        text="Ring distriktssköterskan om huden",
        owner=town.people[1],
        due=action_due,
    )
    if action_done:
        action = reflection.actions.get()
        action.mark_done(by=town.people[1], note="Gjort.")
    signed = sign_off(
        reflection=reflection,
        by=town.facilitator,
        conclusion="Vi enas.",
        person_present=person_present,
    )
    evaluation = Evaluation.for_reflection(signed)
    for n, person in enumerate(town.people[:answers], start=1):
        evaluation.record_answer(
            person, scores=scores(1 + n % 4), comment=comment if n == 1 else ""
        )
    if answers and close:
        # Insights add up closed evaluations only: released, or too few.
        evaluation.close()
    return signed


def raise_dilemma(town: Town, group, day: datetime.date, tensions=("child-adult",)):
    """A dilemma raised on `day`, not discussed yet."""
    dilemma = make_dilemma(group, town.people[0], title="Väntar på ett möte")
    Dilemma.objects.filter(pk=dilemma.pk).update(
        created=datetime.datetime.combine(day, datetime.time(9), datetime.UTC)
    )
    dilemma.tensions.set(
        ValueTension.objects.seeded_for(town.org).filter(key__in=tensions)
    )
    return dilemma


def insights_url(org: Organisation, **query) -> str:
    url = reverse("insights:overview", kwargs={"org": org.slug})
    query = {"start": START.isoformat(), "end": END.isoformat(), **query}
    return f"{url}?{urlencode(query)}"


def export_url(org: Organisation, table: str, **query) -> str:
    url = reverse("insights:export", kwargs={"org": org.slug})
    query = {
        "start": START.isoformat(),
        "end": END.isoformat(),
        "table": table,
        **query,
    }
    return f"{url}?{urlencode(query)}"


def table(response, key: str):
    return next(t for t in response.context["tables"] if t.key == key)
