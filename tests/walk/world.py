"""The walk's world: an organisation in every state that real use reaches.

Built once per test module (tests/walk/conftest.py), through the model methods
and keyword functions that the views themselves call (adopt, open_reflection,
cite, reveal, sign_off, erase, schedule, change, cancel, record_attendance,
record_answer, accept, withdraw), so that every state is one a person can
reach. Every object that a URL can name is kept under a label that says its
state; tests/walk/test_walk.py fills each URL pattern with them.

All texts are Swedish, like the organisation: the walk reads every page for
English left untranslated, and English test data would hide it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

from django.test import Client, override_settings
from django.utils import timezone

from acknowledgements.models import Acknowledgement
from audit.models import Action as AuditAction
from audit.models import AuditEvent
from dilemmas.models import Dilemma, ValueTension, Voice
from evaluations.models import Evaluation
from evaluations.questionnaire import ITEMS
from guidelines.models import Audience, LeadIn
from meetings.links import answer_token
from meetings.models import CalendarFeed, Meeting
from meetings.scheduling import cancel_meeting, cancel_series, change_meeting, schedule
from organisations.memberimport import read_members
from organisations.models import (
    Invitation,
    MemberImport,
    Membership,
    ReflectionGroup,
    Unit,
)
from practice.models import Area, PracticeCase
from privacy.personal_data import anonymise
from reflections import builtin
from reflections.models import (
    Action,
    AgendaItem,
    Amendment,
    EasyRead,
    Method,
    Option,
    Perspective,
    Position,
    Reflection,
    StepKind,
    open_practice_reflection,
    open_reflection,
    pause,
    sign_off,
)
from reflections.retention import erase
from tests.factories import make_member, make_org, make_unit, make_user
from tests.values.helpers import adopt, fill, make_base, make_draft
from values.models import Version

# The roles every page is walked as. "anonymous" has no membership.
ROLES = (
    "anonymous",
    "outsider",
    "staff_outside",
    "member",
    "facilitator",
    "manager",
    "editor",
    "admin",
)
# Who reads the pages in Danish (a choice of their own in a Swedish
# organisation): both languages are read for English on every kind of page.
DANISH = {"staff_outside", "facilitator", "editor"}


@dataclass
class World:
    org: Any
    other_org: Any
    people: dict[str, Membership]
    units: dict[str, Unit]
    groups: dict[str, ReflectionGroup]
    base: Any
    versions: dict[str, Version]
    meetings: dict[str, Meeting]
    dilemmas: dict[str, Dilemma]
    reflections: dict[str, Reflection]
    # (state, reflection, position): the steps the walk opens.
    steps: list[tuple[str, Reflection, int]]
    # (state, reflection, position, item id): options, parties and actions.
    step_items: list[tuple[str, Reflection, int, int]]
    items: dict[str, AgendaItem]
    actions: dict[str, Action]
    methods: dict[str, Method]
    invitations: dict[str, Invitation]
    members: dict[str, Membership]
    tokens: dict[str, dict[str, str]]
    # Signed-in session keys per role, made once (see conftest).
    sessions: dict[str, str] = field(default_factory=dict)
    # Which groups each role belongs to or leads, for the access table.
    group_roles: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    # Practice cases: a built-in one, the organisation's own, another's own.
    practice_cases: dict[str, PracticeCase] = field(default_factory=dict)

    def language(self, role: str) -> str:
        """The language a role's pages are in: their own choice, else their
        (first) organisation's."""
        if role in DANISH:
            return "da"
        return self.other_org.language if role == "outsider" else self.org.language


def _local(day: datetime.date, at: time, org) -> datetime.datetime:
    from zoneinfo import ZoneInfo

    return datetime.datetime.combine(day, at, tzinfo=ZoneInfo(org.time_zone))


def _units(org) -> dict[str, Unit]:
    top = make_unit(org, "Socialförvaltningen", kind=Unit.Kind.ADMINISTRATION)
    area = make_unit(org, "Barn och familj", kind=Unit.Kind.AREA, parent=top)
    unit = make_unit(org, "Utredning barn och unga", parent=area)
    other_area = make_unit(org, "Vuxen", kind=Unit.Kind.AREA, parent=top)
    other_unit = make_unit(org, "Beroende och missbruk", parent=other_area)
    # Archived through the same two fields the archive view sets.
    archived = make_unit(org, "Gamla mottagningen", parent=top)
    archived.archived = timezone.now() - timedelta(days=40)
    archived.save(update_fields=["archived"])
    return {
        "top": top,
        "area": area,
        "unit": unit,
        "other_area": other_area,
        "other_unit": other_unit,
        "archived": archived,
    }


def _people(org, other_org, units, audiences) -> dict[str, Membership]:
    people = {
        "member": make_member(
            org,
            "staff",
            unit=units["unit"],
            email="maja.medlem@walk.example",
            name="Maja Medlem",
            audiences=[audiences["clients"]],
        ),
        "facilitator": make_member(
            org,
            "facilitator",
            unit=units["unit"],
            email="samtalsledare@walk.example",
            name="Fredrik Samtalsledare",
            audiences=[audiences["clients"]],
        ),
        "manager": make_member(
            org,
            "manager",
            unit=units["area"],
            email="chef@walk.example",
            name="Maria Chef",
            audiences=[audiences["managers"]],
        ),
        "editor": make_member(
            org,
            "editor",
            unit=units["top"],
            email="redaktor@walk.example",
            name="Leila Redaktör",
        ),
        "admin": make_member(
            org,
            "admin",
            unit=units["top"],
            email="admin@walk.example",
            name="Anders Administratör",
        ),
        "staff_outside": make_member(
            org,
            "staff",
            unit=units["other_unit"],
            email="annan.enhet@walk.example",
            name="Elin Annan",
            audiences=[audiences["clients"]],
        ),
        "outsider": make_member(
            other_org,
            "admin",
            email="admin@annan.example",
            name="Olle Utomstående",
        ),
    }
    # A person in two organisations: the group member is staff in the other too.
    make_member(other_org, "staff", user=people["member"].user)
    for role in DANISH:
        user = people[role].user
        user.language = "da"
        user.save(update_fields=["language"])
    return people


def _value_base(org, audiences) -> tuple[Any, dict[str, Version]]:
    """Five versions: superseded, retroactive, in force, adopted ahead, draft."""
    today = timezone.localdate()
    base = make_base(org, "vardegrund")
    first = make_draft(base, 1)
    fill(first, audiences["clients"])
    LeadIn.objects.create(
        version=first,
        audience=audiences["clients"],
        text="Som medarbetare i mötet med brukare ska du:",
    )
    adopt(first, today - timedelta(days=3 * 365))
    # Adopted a month after the day it took effect, with the reason why.
    retroactive = first.start_next_draft(author=None)
    retroactive.adopt(
        adopted_on=today - timedelta(days=2 * 365 - 30),
        adopted_by="Socialnämnden",
        effective_from=today - timedelta(days=2 * 365),
        retroactive_reason="Nämnden sammanträdde först efter årsskiftet.",
    )
    in_force = retroactive.start_next_draft(author=None)
    value = in_force.values.get(key="integrity")
    value.description = "Vi skyddar det privata och delar bara det som behövs."
    value.save(update_fields=["description"])
    adopt(in_force, today - timedelta(days=60))
    ahead = in_force.start_next_draft(author=None)
    ahead.title = "Vår värdegrund från nästa månad"
    ahead.save(update_fields=["title"])
    first_of_next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    ahead.adopt(
        adopted_on=today - timedelta(days=5),
        adopted_by="Socialnämnden",
        effective_from=first_of_next_month,
    )
    draft = ahead.start_next_draft(author=None)
    for version in (first, retroactive, in_force, ahead, draft):
        version.refresh_from_db()
    return base, {
        "superseded": first,
        "retroactive": retroactive,
        "in_force": in_force,
        "ahead": ahead,
        "draft": draft,
    }


def _meetings(org, groups, people) -> dict[str, Meeting]:
    today = timezone.localdate()
    group = groups["group"]

    def one(day, title, **kwargs):
        return schedule(
            group=kwargs.pop("group", group),
            created_by=people["manager"],
            title=title,
            place="Stora rummet",
            link=kwargs.pop("link", ""),
            agenda="Dilemman från gruppen\nUppföljning",
            first_date=day,
            start_time=time(13),
            end_time=time(14, 30),
            **kwargs,
        )

    meetings = {
        "long_ago": one(today - timedelta(days=800), "Etisk reflektion i fjol"),
        # Before the first version took effect: sessions with no value base.
        "before_values": one(
            today - timedelta(days=3 * 365 + 30), "Den första reflektionen"
        ),
        "held": one(today - timedelta(days=10), "Etisk reflektion, hållen"),
        "held_no_attendance": one(
            today - timedelta(days=3), "Etisk reflektion, utan närvaro"
        ),
        "yesterday": one(today - timedelta(days=1), "Etisk reflektion i går"),
        "upcoming": one(
            today + timedelta(days=7),
            "Etisk reflektion",
            link="https://mote.example/etik",
        ),
        "moved": one(today + timedelta(days=14), "Flyttad reflektion"),
        "cancelled": one(today + timedelta(days=21), "Inställd reflektion"),
        "other_group": one(
            today + timedelta(days=5), "Reflektion vuxen", group=groups["other_group"]
        ),
        # A group the facilitator is a member of, not its facilitator.
        "fellow_group": one(
            today + timedelta(days=6),
            "Grannteamets reflektion",
            group=groups["fellow_group"],
        ),
    }
    # Running now: people gather, the facilitator is on a step.
    now = timezone.now()
    meetings["running"] = Meeting.objects.create(
        organisation=org,
        group=group,
        title="Etisk reflektion, pågår",
        place="Lilla rummet",
        start=now - timedelta(minutes=30),
        end=now + timedelta(minutes=60),
        created_by=people["manager"],
    )
    moved = meetings["moved"]
    change_meeting(
        moved,
        title=moved.title,
        place="Biblioteket",
        link="",
        agenda=moved.agenda,
        start=moved.start + timedelta(days=1, hours=1),
        end=moved.end + timedelta(days=1, hours=1),
    )
    cancel_meeting(meetings["cancelled"])
    monthly = schedule(
        group=group,
        created_by=people["manager"],
        title="Månadens reflektion",
        place="Stora rummet",
        link="",
        agenda="",
        first_date=today - timedelta(days=35),
        start_time=time(9),
        end_time=time(10),
        frequency="monthly",
        week_of_month=1,
        count=8,
    )
    occurrences = list(monthly.series.meetings.order_by("start"))
    meetings["series_past"] = occurrences[0]
    upcoming = [m for m in occurrences if m.start > now]
    meetings["series_next"] = upcoming[0]
    meetings["series_moved"] = upcoming[1]
    meetings["series_cancelled"] = upcoming[2]
    change_meeting(
        meetings["series_moved"],
        title="Månadens reflektion, flyttad",
        place="Biblioteket",
        link="",
        agenda="",
        start=upcoming[1].start + timedelta(hours=4),
        end=upcoming[1].end + timedelta(hours=4),
    )
    cancel_meeting(meetings["series_cancelled"])
    weekly = schedule(
        group=group,
        created_by=people["manager"],
        title="Veckoreflektion",
        place="Stora rummet",
        link="",
        agenda="",
        first_date=today + timedelta(days=2),
        start_time=time(15),
        end_time=time(16),
        frequency="weekly",
        count=3,
    )
    cancel_series(weekly.series)
    weekly.refresh_from_db()
    meetings["cancelled_series"] = weekly
    return meetings


CASE = {
    "title": "Hjälp som inte önskas",
    "description": "En äldre man med hemtjänst säger nej till dusch sedan flera "
    "veckor. Huden har börjat ta skada och dottern ringer oroad.",
    "question": "Ska vi respektera hans nej eller försöka övertyga honom?",
}


def _voices(dilemma: Dilemma, **asked: str) -> None:
    """The voices of a case, as the dilemma form saves them."""
    for kind, answer in asked.items():
        Voice.objects.create(
            dilemma=dilemma,
            kind=kind,
            asked=answer,
            why_not="Hen ligger på sjukhus." if answer == "not_possible" else "",
            wishes="Jag vill bestämma själv." if answer in Voice.HEARD else "",
        )


def _dilemma(group, author, title: str, **kwargs) -> Dilemma:
    return Dilemma.objects.create(
        organisation=group.organisation,
        group=group,
        author=author,
        **{**CASE, "title": title, **kwargs},
    )


def _fill_steps(reflection: Reflection, upto: int, writers, values, cite) -> None:
    """What a session has recorded by the time it reaches step `upto`."""
    for step in reflection.steps.filter(position__lte=upto):
        if step.kind == StepKind.TEXT:
            step.save_notes(
                f"Anteckningar från steg {step.position}: gruppen delar sina "
                "tankar om situationen.",
                revision=None,
                by=reflection.facilitator,
            )
        elif step.kind == StepKind.PERSPECTIVES:
            party = Perspective.objects.create(
                step=step, party="Mannen själv", norms="Vi bör lyssna på honom."
            )
            party.values.set(values)
            Perspective.objects.create(
                step=step, party="Dottern", norms="Vi bör ta hennes oro på allvar."
            )
        elif step.kind == StepKind.OPTIONS:
            Option.objects.bulk_create(
                [
                    Option(step=step, text="Respektera nejet och erbjuda igen"),
                    Option(step=step, text="Ta hjälp av distriktssköterskan"),
                ]
            )
        elif step.kind == StepKind.POSITIONS:
            Position.objects.bulk_create(
                Position(step=step, membership=writer, body=f"Jag tycker {n}.")
                for n, writer in enumerate(writers, start=1)
            )
            # Revealed once the group has gone on past the positions.
            if step.position < upto:
                step.reveal()
        elif step.kind == StepKind.AGREEMENTS:
            Action.objects.create(
                organisation=reflection.organisation,
                reflection=reflection,
                text="Kontakta distriktssköterskan om huden",
                owner=reflection.facilitator,
                due=timezone.localdate() + timedelta(days=14),
            )
    if cite is not None:
        reflection.cite(**cite)


def _citations(version: Version, index: int) -> dict | None:
    """Values, guidelines, both or neither, in turn."""
    values = list(version.values.all())
    guidelines = list(version.guidelines.all())
    return [
        {"values": values, "guidelines": []},
        {"values": [], "guidelines": guidelines},
        {"values": values[:1], "guidelines": guidelines},
        None,
    ][index % 4]


def _sessions(org, groups, meetings, people, colleagues, tension):
    """A session at every step of each built-in method, in progress."""
    group = groups["group"]
    methods = {m.key: m for m in Method.objects.seeded_for(org)}
    writers = [people["member"], colleagues[0], people["facilitator"]]
    dilemmas, reflections, steps = {}, {}, []
    index = 0
    for spec in builtin.METHODS:
        method = methods[spec["key"]]
        # The ten-step method runs now; the others were left open yesterday.
        meeting = (
            meetings["running"]
            if spec["key"] == "dilemma-method"
            else meetings["yesterday"]
        )
        for position in range(1, len(spec["steps"]) + 1):
            label = f"{spec['key']}-at-{position}"
            dilemma = _dilemma(
                group, people["member"], f"Fall {index + 1}: hjälp som inte önskas"
            )
            dilemma.tensions.set([tension])
            item = AgendaItem.objects.create(
                organisation=org,
                meeting=meeting,
                dilemma=dilemma,
                method=method,
                added_by=people["facilitator"],
            )
            reflection = open_reflection(item=item, facilitator=people["facilitator"])
            if spec["key"] == "four-principles":
                # The facilitator chose to reveal these positions without names.
                reflection.anonymous_positions = True
                reflection.save(update_fields=["anonymous_positions"])
            reflection.move_to(position)
            version = reflection.version
            cite = _citations(version, index) if version else None
            _fill_steps(reflection, position, writers, list(version.values.all()), cite)
            if index % 3 == 0:
                reflection.step(position).start_timer()
            dilemmas[label] = dilemma
            reflections[label] = reflection
            steps.append((label, reflection, position))
            index += 1
    return dilemmas, reflections, steps, methods


def _planned(org, group, meetings, people, tension, methods) -> dict:
    """Sessions fitted to the clock: steps skipped, paused, continued and signed off."""
    found = {}
    for label, meeting, title in (
        ("skipped-steps", meetings["running"], "Fall med hoppade steg"),
        ("paused", meetings["yesterday"], "Fall som pausades"),
        ("continued-signed-off", meetings["yesterday"], "Fall som fortsatte"),
    ):
        dilemma = _dilemma(group, people["member"], title)
        dilemma.tensions.set([tension])
        item = AgendaItem.objects.create(
            organisation=org,
            meeting=meeting,
            dilemma=dilemma,
            method=methods["dilemma-method"],
            added_by=people["facilitator"],
        )
        reflection = open_reflection(item=item, facilitator=people["facilitator"])
        reflection.steps.filter(position__in=[3, 5]).update(skipped=True)
        found[label] = reflection
    found["skipped-steps"].move_to(4)
    found["paused"].move_to(5)
    pause(reflection=found["paused"], until=meetings["upcoming"])
    continued = found["continued-signed-off"]
    continued.move_to(6)
    pause(reflection=continued, until=meetings["running"])
    continued.refresh_from_db()
    continued.paused = None
    continued.save(update_fields=["paused"])
    sign_off(reflection=continued, by=people["facilitator"], conclusion="Avslutat.")
    for reflection in found.values():
        reflection.refresh_from_db()
    return found


def _signed_off(org, group, meeting, people, colleagues, tension, method, **kwargs):
    """A session held, recorded in full and signed off."""
    title = kwargs.pop("title")
    dilemma = _dilemma(group, colleagues[1], title, anonymous=kwargs.pop("anonymous"))
    dilemma.tensions.set([tension])
    item = AgendaItem.objects.create(
        organisation=org, meeting=meeting, dilemma=dilemma, method=method
    )
    reflection = open_reflection(item=item, facilitator=people["facilitator"])
    if kwargs.pop("anonymous_positions"):
        reflection.anonymous_positions = True
        reflection.save(update_fields=["anonymous_positions"])
    total = reflection.steps.count()
    writers = [people["member"], *colleagues, people["facilitator"]]
    values = list(reflection.version.values.all()) if reflection.version else []
    cite = _citations(reflection.version, 2) if reflection.version else None
    _fill_steps(reflection, total + 1, writers, values, cite)
    reflection.move_to(total)
    return dilemma, reflection


def _evaluate(
    reflection: Reflection, people: list[Membership], *, close: bool = False
) -> None:
    evaluation = Evaluation.for_reflection(reflection)
    for n, person in enumerate(people):
        evaluation.record_answer(
            person,
            scores={item.key: 1 + (n + i) % 4 for i, item in enumerate(ITEMS)},
            comment="Bra samtal, vi hann med alla." if n == 0 else "",
        )
    if close:
        # Closed by the facilitator: its results are shown.
        evaluation.close()


def build() -> World:
    """The whole world; a second call in the same database would collide."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        return _build()


def _build() -> World:
    # It publishes its value base (values/public.py); the other one does not.
    org = make_org(
        "walk",
        name="Vandringens kommun, socialförvaltningen",
        publish_values=True,
        public_contact="etik@walk.example",
    )
    other_org = make_org(
        "walk-da",
        name="Andeby Kommune, socialforvaltningen",
        language="da",
        time_zone="Europe/Copenhagen",
    )
    units = _units(org)
    audiences = {
        "clients": Audience.objects.create(
            organisation=org, key="clients", name="Medarbetare i mötet med brukare"
        ),
        "managers": Audience.objects.create(
            organisation=org, key="managers", name="Chefer"
        ),
    }
    people = _people(org, other_org, units, audiences)
    colleagues = [
        make_member(
            org,
            "staff",
            unit=units["unit"],
            email=f"kollega{n}@walk.example",
            name=name,
            audiences=[audiences["clients"]],
        )
        for n, name in enumerate(
            ["Amira Yusuf", "Peter Lind", "Sofia Berg", "Omar Nilsson"], start=1
        )
    ]
    group = ReflectionGroup.objects.create(
        organisation=org, unit=units["unit"], name="Etikgruppen barn och unga"
    )
    group.facilitators.set([people["facilitator"]])
    group.members.set([people["member"], *colleagues])
    other_group = ReflectionGroup.objects.create(
        organisation=org, unit=units["other_unit"], name="Reflektionsgruppen vuxen"
    )
    other_group.members.set([people["staff_outside"]])
    # In the same unit, led by a colleague: the facilitator only takes part.
    fellow_group = ReflectionGroup.objects.create(
        organisation=org, unit=units["unit"], name="Grannteamets etikgrupp"
    )
    fellow_group.facilitators.set([colleagues[0]])
    fellow_group.members.set([people["facilitator"]])
    groups = {
        "group": group,
        "other_group": other_group,
        "fellow_group": fellow_group,
    }

    base, versions = _value_base(org, audiences)
    # The member has confirmed reading the version in force; the others have not.
    Acknowledgement.objects.create(
        version=versions["in_force"], membership=people["member"]
    )
    meetings = _meetings(org, groups, people)
    tension = ValueTension.objects.seeded_for(org).get(key="care-autonomy")

    dilemmas, reflections, steps, methods = _sessions(
        org, groups, meetings, people, colleagues, tension
    )
    methods["copy"] = methods["dilemma-method"].copy(name="Vår egen dilemmametod")
    dilemma_method = methods["dilemma-method"]

    # Signed off with everything: named positions, citations, actions,
    # amendments, attendance, an evaluation above the minimum.
    meetings["held"].record_attendance(
        [people["member"], people["facilitator"], *colleagues]
    )
    discussed, full = _signed_off(
        org,
        group,
        meetings["held"],
        people,
        colleagues,
        tension,
        dilemma_method,
        title="Ett samtal som hölls",
        anonymous=False,
        anonymous_positions=False,
    )
    today = timezone.localdate()
    actions = {
        "overdue": Action.objects.create(
            organisation=org,
            reflection=full,
            text="Boka ett möte med dottern",
            owner=people["member"],
            due=today - timedelta(days=3),
        ),
        "follow_up": Action.objects.create(
            organisation=org,
            reflection=full,
            text="Följa upp på nästa möte",
            owner=people["facilitator"],
            due=today + timedelta(days=10),
            follow_up=meetings["upcoming"],
        ),
    }
    actions["former-member"] = Action.objects.create(
        organisation=org,
        reflection=full,
        text="Ta fram skriftlig information till dottern",
        owner=colleagues[3],
        due=today + timedelta(days=20),
    )
    done = Action.objects.create(
        organisation=org,
        reflection=full,
        text="Ringa hemtjänstens samordnare",
        owner=colleagues[0],
        due=today - timedelta(days=5),
    )
    full = sign_off(
        reflection=full,
        by=people["facilitator"],
        conclusion="Vi respekterar nejet och erbjuder hjälpen varje vecka.",
        person_present="person",
    )
    done.mark_done(by=colleagues[0], note="Samordnaren är informerad.")
    actions["done"] = done
    for body in (
        "Dottern har hört av sig igen; vi höll fast vid beslutet.",
        "Sjuksköterskan bedömer att huden har läkt.",
    ):
        Amendment.objects.create(
            reflection=full, author=people["facilitator"], body=body
        )
    _evaluate(full, [people["facilitator"], *colleagues], close=True)
    # The easy-read summary for the person (the anonymous one has none yet).
    EasyRead.objects.create(
        reflection=full,
        talked_about="Vi pratade om hjälpen hemma. Du vill klara dig själv.",
        will_do="Vi frågar dig igen varje vecka.",
        contact="Din handläggare på socialtjänsten",
        written_by=people["facilitator"],
    )

    # Signed off without attendance, positions without names, an evaluation
    # below the minimum.
    anonymous_dilemma, anonymous = _signed_off(
        org,
        group,
        meetings["held_no_attendance"],
        people,
        colleagues,
        tension,
        methods["four-principles"],
        title="Ett samtal utan namn",
        anonymous=True,
        anonymous_positions=True,
    )
    anonymous = sign_off(
        reflection=anonymous,
        by=people["facilitator"],
        conclusion="Vi enades om att fråga honom igen nästa vecka.",
    )
    _evaluate(anonymous, colleagues[:2])

    # Recorded afterwards for a meeting held before any value base took
    # effect: no version to pin, nothing to cite.
    early = _dilemma(group, people["member"], "Ett fall från förr")
    early_reflection = open_reflection(
        item=AgendaItem.objects.create(
            organisation=org,
            meeting=meetings["before_values"],
            dilemma=early,
            method=methods["five-step-model"],
        ),
        facilitator=people["facilitator"],
    )
    perspectives = early_reflection.steps.get(kind=StepKind.PERSPECTIVES).position
    early_reflection.move_to(perspectives)
    _fill_steps(early_reflection, perspectives, [], [], None)
    reflections["no-value-base"] = early_reflection
    steps.append(("no-value-base-perspectives", early_reflection, perspectives))

    # Erased by the retention rule, long after it was signed off.
    erased_dilemma, erased = _signed_off(
        org,
        group,
        meetings["long_ago"],
        people,
        colleagues,
        tension,
        dilemma_method,
        title="Ett gammalt fall",
        anonymous=False,
        anonymous_positions=False,
    )
    sign_off(reflection=erased, by=people["facilitator"], conclusion="Avslutat.")
    EasyRead.objects.create(
        reflection=erased,
        talked_about="Vi pratade om ditt boende.",
        written_by=people["facilitator"],
    )
    _voices(erased_dilemma, person="in_person", network="not_possible")
    erase(erased_dilemma, now=timezone.now())
    erased.refresh_from_db()
    erased_dilemma.refresh_from_db()

    reflections.update(
        {"signed-off": full, "signed-off-anonymous": anonymous, "erased": erased}
    )
    reflections.update(_planned(org, group, meetings, people, tension, methods))
    steps.extend(
        [
            ("skipped-step", reflections["skipped-steps"], 3),
            ("skipped-steps-group-step", reflections["skipped-steps"], 4),
            ("paused-step", reflections["paused"], 5),
            ("continued-signed-off-step", reflections["continued-signed-off"], 3),
        ]
    )
    # Every step of the signed-off record; of the erased one, a step of each kind.
    steps.extend(
        (f"signed-off-step-{position}", full, position)
        for position in full.steps.values_list("position", flat=True)
    )
    kinds = {step.kind: step.position for step in erased.steps.order_by("-position")}
    steps.extend(
        (f"erased-{kind}", erased, position) for kind, position in sorted(kinds.items())
    )
    positions_step = anonymous.steps.get(kind=StepKind.POSITIONS).position
    steps.append(("signed-off-anonymous-positions", anonymous, positions_step))

    # Dilemmas in the other states.
    raised = _dilemma(group, people["member"], "Ett nytt dilemma")
    raised.tensions.set([tension])
    raised_anonymously = _dilemma(
        group, colleagues[2], "Ett dilemma utan namn", anonymous=True
    )
    on_agenda = _dilemma(group, colleagues[3], "Ett dilemma på dagordningen")
    waiting = AgendaItem.objects.create(
        organisation=org,
        meeting=meetings["upcoming"],
        dilemma=on_agenda,
        method=methods["five-step-model"],
        added_by=people["facilitator"],
    )
    on_agenda.set_status(Dilemma.Status.ON_AGENDA)
    closed = _dilemma(group, colleagues[0], "Ett stängt dilemma")
    closed.set_status(Dilemma.Status.CLOSED)
    other = _dilemma(other_group, people["staff_outside"], "Ett dilemma i vuxen")
    dilemmas.update(
        {
            "raised-own": raised,
            "raised-anonymously": raised_anonymously,
            "on-agenda": on_agenda,
            "discussed": discussed,
            "discussed-anonymous": anonymous_dilemma,
            "erased": erased_dilemma,
            "closed": closed,
            "other-group": other,
        }
    )
    # Voices: every kind recorded (no prompt), some, none (the prompt asks).
    _voices(raised, person="in_person", network="not_possible", representative="no_one")
    _voices(discussed, person="through_representative")
    _voices(dilemmas["dilemma-method-at-5"], person="not_asked", network="in_person")
    items = {
        "waiting": waiting,
        "opened": AgendaItem.objects.get(
            meeting=meetings["running"], dilemma=dilemmas["dilemma-method-at-1"]
        ),
        "signed-off": AgendaItem.objects.get(
            meeting=meetings["held"], dilemma=discussed
        ),
    }

    # Items of steps: an option, a party, an action, of a running session and
    # of the signed-off one.
    step_items = []
    for label, reflection in (
        ("running", reflections["dilemma-method-at-10"]),
        ("signed-off", full),
        ("erased", erased),
    ):
        for kind in (StepKind.OPTIONS, StepKind.PERSPECTIVES, StepKind.AGREEMENTS):
            step = reflection.steps.get(kind=kind)
            if kind == StepKind.OPTIONS:
                found = step.options.first()
            elif kind == StepKind.PERSPECTIVES:
                found = step.perspectives.first()
            else:
                found = reflection.actions.first()
            step_items.append((f"{label}-{kind}", reflection, step.position, found.pk))
    text_step = full.steps.filter(kind=StepKind.TEXT).first()
    step_items.append(("text-step", full, text_step.position, full.steps.first().pk))

    # Invitations in each state.
    invited = {
        "open": Invitation.objects.create(
            organisation=org,
            email="ny.kollega@walk.example",
            name="Nora Ny",
            unit=units["unit"],
            invited_by=people["admin"],
            expires=timezone.now() + timedelta(days=14),
        ),
        "expired": Invitation.objects.create(
            organisation=org,
            email="sen.kollega@walk.example",
            unit=units["unit"],
            invited_by=people["admin"],
            sent=timezone.now() - timedelta(days=20),
            expires=timezone.now() - timedelta(days=6),
        ),
        "withdrawn": Invitation.objects.create(
            organisation=org,
            email="angrad@walk.example",
            unit=units["unit"],
            invited_by=people["admin"],
            expires=timezone.now() + timedelta(days=14),
        ),
        "accepted": Invitation.objects.create(
            organisation=org,
            email="accepterad@walk.example",
            name="Alva Accepterad",
            unit=units["unit"],
            invited_by=people["admin"],
            expires=timezone.now() + timedelta(days=14),
        ),
        # Sent to a person who already has an account (signs in to accept).
        "existing-account": Invitation.objects.create(
            organisation=org,
            email=people["outsider"].user.email,
            unit=units["unit"],
            invited_by=people["admin"],
            expires=timezone.now() + timedelta(days=14),
        ),
    }
    invited["withdrawn"].withdraw()
    newcomer = make_user("accepterad@walk.example", name="Alva Accepterad")
    accepted_membership = invited["accepted"].accept(newcomer)

    # A member who left: made inactive, their records kept.
    left = make_member(
        org, "staff", unit=units["unit"], email="slutat@walk.example", name="Kim Slutat"
    )
    left.is_active = False
    left.save(update_fields=["is_active"])
    # A colleague who wrote positions, owns an action and raised a dilemma,
    # then asked to be forgotten: their contributions stay, their name goes.
    anonymise(colleagues[3].user)
    colleagues[3].refresh_from_db()
    # An administrator's upload of the HR system's list, waiting to be confirmed:
    # one new person, one already a member, and a row with no address.
    reading = read_members(
        "Namn;E-post;Enhet;Roll\n"
        "Nea Ny;nea.ny@walk.example;{unit};medarbetare\n"
        "Mia Medlem;{member};{unit};medarbetare\n"
        "Utan Adress;;{unit};medarbetare\n".format(
            unit=units["unit"].name, member=people["member"].user.email
        ).encode()
    )
    MemberImport.objects.create(
        organisation=org,
        created_by=people["admin"],
        filename="personal.csv",
        rows=reading.rows,
        columns=reading.columns,
        ignored=reading.ignored,
    )
    # Earlier imports, confirmed: one applied by the task worker, one waiting
    # for it, and one whose last attempt failed (the worker tries it again).
    for state, counts in (
        ("done", {"invite": 12, "change": 3, "same": 40, "error": 1}),
        ("confirmed", {}),
        ("failed", {}),
    ):
        MemberImport.objects.create(
            organisation=org,
            created_by=people["admin"],
            filename=f"{state}.csv",
            state=state,
            confirmed=timezone.now(),
            confirmed_by=people["admin"],
            skip_errors=state == "done",
            counts=counts,
        )
    members = {
        "former": colleagues[3],
        "member": people["member"],
        "admin": people["admin"],
        "accepted": accepted_membership,
        "inactive": left,
        "manager": people["manager"],
    }

    tokens = {
        "invitation": {
            state: invitation.token() for state, invitation in invited.items()
        },
        "calendar": {
            "member": CalendarFeed.issue(people["member"]),
            "manager-units": CalendarFeed.issue(
                people["manager"], CalendarFeed.Scope.UNITS
            ),
        },
        "answer": {
            state: answer_token(meetings[state], people["member"])
            for state in ("upcoming", "cancelled", "held", "series_moved", "running")
        },
    }
    # A subscription that was replaced: the first address stops working.
    replaced = CalendarFeed.issue(people["facilitator"])
    CalendarFeed.issue(people["facilitator"])
    tokens["calendar"]["replaced"] = replaced

    # A few lines in the audit log, as the views write them.
    for reflection in (full, anonymous):
        AuditEvent.record(
            action=AuditAction.READ, obj=reflection, membership=people["member"]
        )
    AuditEvent.record(
        action=AuditAction.SIGN_OFF, obj=full, membership=people["facilitator"]
    )

    world = World(
        org=org,
        other_org=other_org,
        people=people,
        units=units,
        groups=groups,
        base=base,
        versions=versions,
        meetings=meetings,
        dilemmas=dilemmas,
        reflections=reflections,
        steps=steps,
        step_items=step_items,
        items=items,
        actions=actions,
        methods=methods,
        invitations=invited,
        members=members,
        tokens=tokens,
    )
    world.practice_cases = _practice_cases(org, other_org, people)
    _practice_sessions(world, methods["dilemma-method"], people)
    world.sessions = _sign_in(people)
    return world


def _practice_sessions(world: World, method: Method, people) -> None:
    """A practice session running now, a few steps in, and one signed off."""
    running = open_practice_reflection(
        meeting=world.meetings["running"],
        case=world.practice_cases["builtin"],
        method=method,
        facilitator=people["facilitator"],
    )
    version = running.version
    values = list(version.values.all()) if version else []
    running.move_to(3)
    _fill_steps(running, 3, [people["member"], people["facilitator"]], values, None)
    held = open_practice_reflection(
        meeting=world.meetings["held"],
        case=world.practice_cases["own"],
        method=method,
        facilitator=people["facilitator"],
    )
    _fill_steps(held, 2, [people["member"]], values, None)
    held = sign_off(
        reflection=held, by=people["facilitator"], conclusion="Vi övade på att lyssna."
    )
    for label, reflection, position in (
        ("practice-running", running, 3),
        ("practice-signed-off", held, 2),
    ):
        world.reflections[label] = reflection
        world.steps.append((label, reflection, position))


def _practice_cases(org, other_org, people) -> dict[str, PracticeCase]:
    PracticeCase.objects.seed_builtin()

    def own(organisation, author) -> PracticeCase:
        return PracticeCase.objects.create(
            organisation=organisation,
            created_by=author,
            area=Area.DISABILITY,
            title="Resan till fjällen",
            situation="En boende vill åka på en resa som personalen tycker är för dyr.",
            question="Ska vi hjälpa till att planera resan eller avråda?",
            tensions="Självbestämmande mot ekonomiskt ansvar",
            note="Fråga vems oro som styr.",
        )

    return {
        "builtin": PracticeCase.objects.get(key="disability-night-sensor"),
        "own": own(org, people["facilitator"]),
        "other-org": own(other_org, None),
    }


def _sign_in(people: dict[str, Membership]) -> dict[str, str]:
    """One session per role, made once: each request then only sends its cookie."""
    from django.conf import settings

    sessions = {}
    for role, membership in people.items():
        client = Client()
        client.force_login(membership.user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions
