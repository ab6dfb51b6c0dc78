"""Demo dilemmas for `manage.py load_demo`: one per group, one signed-off reflection."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dilemmas.demo import add_demo_voices
from dilemmas.models import Dilemma, ValueTension
from meetings.models import Meeting
from organisations.models import Organisation, ReflectionGroup, Role
from practice.models import PracticeCase

from .models import (
    Action,
    AgendaItem,
    Method,
    Reflection,
    open_practice_reflection,
    open_reflection,
    sign_off,
)

CASES = {
    "sv": (
        "Hjälp som inte önskas",
        "En äldre man med hemtjänst säger nej till dusch sedan flera veckor. "
        "Huden har börjat ta skada och dottern ringer oroad.",
        "Ska vi respektera hans nej eller försöka övertyga honom?",
        "Vi respekterar nejet men erbjuder hjälpen varje vecka och följer upp "
        "huden med sjuksköterskan.",
        "Kontakta distriktssköterskan om huden",
    ),
    "da": (
        "Hjælp der ikke ønskes",
        "En ældre mand med hjemmepleje har i flere uger sagt nej til bad. Huden "
        "er begyndt at tage skade, og datteren ringer bekymret.",
        "Skal vi respektere hans nej eller forsøge at overbevise ham?",
        "Vi respekterer hans nej, men tilbyder hjælpen hver uge og følger huden "
        "op med sygeplejersken.",
        "Kontakt hjemmesygeplejersken om huden",
    ),
    "en": (
        "Help that is not wanted",
        "An older man with home care has refused a shower for weeks. His skin is "
        "suffering and his daughter calls, worried.",
        "Should we respect his no or try to persuade him?",
        "We respect his no, offer help every week and follow up his skin with "
        "the nurse.",
        "Contact the district nurse about the skin",
    ),
}


def load_demo_reflections(organisation: Organisation) -> None:
    """Idempotent: groups that already have dilemmas are left alone."""
    title, description, question, conclusion, action_text = CASES.get(
        organisation.language, CASES["en"]
    )
    tension = ValueTension.objects.seeded_for(organisation).get(key="care-autonomy")
    method = Method.objects.seeded_for(organisation).get(key="dilemma-method")
    signed_one = False
    for group in ReflectionGroup.objects.for_organisation(organisation):
        if Dilemma.objects.filter(group=group).exists():
            continue
        author = group.members.filter(role=Role.STAFF).first()
        dilemma = Dilemma.objects.create(
            organisation=organisation,
            group=group,
            author=author,
            anonymous=True,
            title=title,
            description=description,
            question=question,
        )
        dilemma.tensions.set([tension])
        # The person's own view is in this case (docs/reflections.md).
        add_demo_voices(dilemma, organisation.language)
        held = Meeting.objects.filter(group=group).past().first()
        facilitator = group.facilitators.first()
        if signed_one or held is None or facilitator is None:
            continue
        item = AgendaItem.objects.create(
            organisation=organisation, meeting=held, dilemma=dilemma, method=method
        )
        reflection = open_reflection(item=item, facilitator=facilitator)
        step = reflection.steps.get(position=1)
        step.notes = description
        step.save(update_fields=["notes"])
        Action.objects.create(
            organisation=organisation,
            reflection=reflection,
            text=action_text,
            owner=facilitator,
            due=timezone.localdate() + timedelta(days=14),
            follow_up=Meeting.objects.filter(group=group).upcoming().first(),
        )
        sign_off(reflection=reflection, by=facilitator, conclusion=conclusion)
        signed_one = True


PRACTICE_CONCLUSIONS = {
    "sv": "Vi övade på att skilja det lagliga från det önskvärda och på att fråga "
    "vad kvinnan själv kan vilja säga.",
    "da": "Vi øvede os i at skelne det lovlige fra det ønskelige og i at spørge, "
    "hvad kvinden selv kan prøve at sige.",
    "en": "We practised telling the lawful from the desirable, and asking what the "
    "woman herself may be trying to say.",
}


def load_demo_practice_session(organisation: Organisation) -> None:
    """One signed-off session on a built-in practice case, in the first group
    with a meeting held; idempotent."""
    if Reflection.objects.for_organisation(organisation).practice().exists():
        return
    case = PracticeCase.objects.library_for(organisation).get(key="older-night-door")
    method = Method.objects.seeded_for(organisation).get(key="dilemma-method")
    for group in ReflectionGroup.objects.for_organisation(organisation).order_by("pk"):
        held = Meeting.objects.filter(group=group).past().first()
        facilitator = group.facilitators.first()
        if held is None or facilitator is None:
            continue
        reflection = open_practice_reflection(
            meeting=held, case=case, method=method, facilitator=facilitator
        )
        sign_off(
            reflection=reflection,
            by=facilitator,
            conclusion=PRACTICE_CONCLUSIONS.get(
                organisation.language, PRACTICE_CONCLUSIONS["en"]
            ),
        )
        return
