"""Demo history for `manage.py load_demo`: half a year of sessions to learn from.

Each group gets a session a month for the last six months, with attendance, a
dilemma raised some days before and discussed with the dilemma method, the
values and guidelines it cited, an agreed action (done, open or overdue) and
an evaluation. The latest sessions' evaluations are still open (the demo's
staff sign-in can answer one); `manage.py load_demo` closes the earlier ones
once this has committed, their answers released as in production. The first
group's last two sessions have fewer answers than the minimum, to show what
that looks like open and closed. Two dilemmas wait for a session.
So every chart of the insights page and the editor's view of the draft have
something to show. The texts are our own, in the organisation's language.
Idempotent: an organisation with evaluations is left alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from dilemmas.demo import add_demo_voices
from dilemmas.models import Dilemma, ValueTension
from evaluations.models import Evaluation
from evaluations.questionnaire import ITEMS
from meetings.demo import PLACES, TITLES
from meetings.models import Meeting, invitees
from organisations.models import Membership, Organisation, ReflectionGroup, Role
from reflections.models import (
    Action,
    AgendaItem,
    Method,
    Reflection,
    open_reflection,
    sign_off,
)

MONTHS = 6
PRESENT = (
    Reflection.Present.PERSON,
    Reflection.Present.NEITHER,
    Reflection.Present.REPRESENTATIVE,
)

# (title, description, question, conclusion, action)
CASES = {
    "sv": [
        (
            "Pengar till skulden eller till barnens fritid",
            "En förälder med försörjningsstöd vill använda en del av stödet till "
            "barnens fotbollsavgift i stället för att betala av på en skuld. "
            "Riktlinjerna ger litet utrymme.",
            "Ska vi pröva ett undantag eller hålla fast vid praxis?",
            "Vi prövar behovet i det enskilda fallet och skriver ut "
            "barnperspektivet i beslutet.",
            "Ta upp barnperspektivet i beslutsmallen på nästa arbetsplatsträff",
        ),
        (
            "Tystnadsplikt och grannens oro",
            "En granne ringer och vill veta om en brukare får hjälp, eftersom hon "
            "har sett honom ute sent på kvällarna.",
            "Vad kan vi säga utan att bryta sekretessen, och ska vi agera på oron?",
            "Vi bekräftar ingenting, men tar emot uppgifterna och gör en egen "
            "bedömning.",
            "Gå igenom rutinen för samtal från närstående och grannar",
        ),
        (
            "En ungdom som inte vill att föräldrarna får veta",
            "En sextonåring berättar om alkohol på helgerna och ber oss att inte "
            "säga något till föräldrarna.",
            "Ska vi respektera ungdomens önskan eller informera vårdnadshavarna?",
            "Vi stöttar ungdomen att själv berätta och gör en ny bedömning om två "
            "veckor.",
            "Boka ett uppföljande samtal med ungdomen",
        ),
        (
            "Samma tid för alla eller mer för den som behöver",
            "En brukare behöver allt längre besök, och kollegorna hinner inte med "
            "de andra besöken under passet.",
            "Ska vi hålla den beviljade tiden eller ge mer och låta andra vänta?",
            "Vi begär en ny bedömning av behovet och fördelar besöken om under tiden.",
            "Skicka underlag för en ny behovsbedömning",
        ),
    ],
    "da": [
        (
            "Penge til gælden eller til børnenes fritid",
            "En forælder på kontanthjælp vil bruge en del af ydelsen på børnenes "
            "fodboldkontingent i stedet for at afdrage på en gæld. Retningslinjerne "
            "giver ikke meget plads.",
            "Skal vi se på en undtagelse eller holde fast i praksis?",
            "Vi vurderer behovet konkret og skriver børneperspektivet ind i "
            "afgørelsen.",
            "Tag børneperspektivet op i skabelonen for afgørelser på næste "
            "personalemøde",
        ),
        (
            "Tavshedspligt og naboens bekymring",
            "En nabo ringer og vil vide, om en borger får hjælp, fordi hun har set "
            "ham ude sent om aftenen.",
            "Hvad kan vi sige uden at bryde tavshedspligten, og skal vi handle på "
            "bekymringen?",
            "Vi bekræfter intet, men tager imod oplysningerne og laver vores egen "
            "vurdering.",
            "Gennemgå retningslinjen for opkald fra pårørende og naboer",
        ),
        (
            "En ung, der ikke vil have, at forældrene får det at vide",
            "En 16-årig fortæller om alkohol i weekenderne og beder os om ikke at "
            "sige noget til forældrene.",
            "Skal vi respektere den unges ønske eller orientere forældrene?",
            "Vi støtter den unge i selv at fortælle det og vurderer sagen igen om "
            "to uger.",
            "Aftal en opfølgende samtale med den unge",
        ),
        (
            "Samme tid til alle eller mere til den, der har brug for det",
            "En borger har brug for stadig længere besøg, og kollegerne når ikke "
            "de andre besøg på vagten.",
            "Skal vi holde den bevilgede tid eller give mere og lade andre vente?",
            "Vi beder om en ny vurdering af behovet og fordeler besøgene "
            "anderledes i mellemtiden.",
            "Send materiale til en ny vurdering af behovet",
        ),
    ],
    "en": [
        (
            "Money for the debt or for the children's free time",
            "A parent on income support wants to spend part of it on the "
            "children's football fees rather than on paying off a debt. The "
            "guidelines leave little room.",
            "Should we consider an exception or keep to our practice?",
            "We assess the need case by case and write the child's perspective "
            "into the decision.",
            "Raise the child's perspective in the decision template at the next "
            "staff meeting",
        ),
        (
            "Confidentiality and a neighbour's worry",
            "A neighbour calls to ask whether a client gets help, as she has seen "
            "him out late at night.",
            "What can we say without breaking confidentiality, and should we act "
            "on the worry?",
            "We confirm nothing, but take the information and make our own assessment.",
            "Go through the routine for calls from relatives and neighbours",
        ),
        (
            "A young person who does not want the parents to know",
            "A sixteen-year-old tells us about drinking at weekends and asks us "
            "not to tell the parents.",
            "Should we respect the young person's wish or inform the parents?",
            "We support the young person in telling them and assess again in two "
            "weeks.",
            "Book a follow-up talk with the young person",
        ),
        (
            "The same time for all, or more for the one who needs it",
            "A client needs ever longer visits, and colleagues cannot fit in the "
            "other visits of the shift.",
            "Should we keep to the time granted or give more and let others wait?",
            "We ask for a new assessment of the need and share the visits out "
            "differently meanwhile.",
            "Send the papers for a new assessment of the need",
        ),
    ],
}

COMMENTS = {
    "sv": [
        "Bra att alla kom till tals.",
        "Vi behövde mer tid till handlingsalternativen.",
        "Det hjälpte att koppla resonemanget till värdegrunden.",
    ],
    "da": [
        "Godt, at alle kom til orde.",
        "Vi havde brug for mere tid til handlemulighederne.",
        "Det hjalp at koble overvejelserne til værdigrundlaget.",
    ],
    "en": [
        "Good that everyone had their say.",
        "We needed more time for the options.",
        "Linking our reasoning to the value base helped.",
    ],
}


def _score(item: int, person: int, age: int) -> int:
    """A steady pattern that improves over the months, never random."""
    base = 2 if age > MONTHS // 2 else 3
    spread = (item * 7 + person * 13 + age * 5) % 10
    step = -1 if spread < 2 else (1 if spread > 6 else 0)
    return min(4, max(1, base + step))


def _session_day(
    today: datetime.date, months_ago: int, group_index: int
) -> datetime.date:
    """The second Tuesday (or, for every other group, Wednesday) of a past month."""
    month = today.replace(day=1)
    for _month in range(months_ago):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    first_tuesday = month + datetime.timedelta(days=(1 - month.weekday()) % 7)
    return first_tuesday + datetime.timedelta(days=7 + group_index % 2)


@dataclass(frozen=True)
class _Demo:
    """What every session of an organisation's demo history draws on."""

    organisation: Organisation
    tz: ZoneInfo
    today: datetime.date
    cases: list[tuple[str, str, str, str, str]]
    comments: list[str]
    title: str
    place: str
    tensions: list[ValueTension]
    method: Method
    manager: Membership | None


@transaction.atomic
def load_demo_history(organisation: Organisation) -> list[int]:
    """Returns the evaluations to close once this transaction has committed."""
    to_close: list[int] = []
    if Evaluation.objects.filter(organisation=organisation).exists():
        return to_close
    language = organisation.language
    tz = ZoneInfo(organisation.time_zone)
    demo = _Demo(
        organisation=organisation,
        tz=tz,
        today=timezone.localdate(timezone=tz),
        cases=CASES.get(language, CASES["en"]),
        comments=COMMENTS.get(language, COMMENTS["en"]),
        title=TITLES.get(language, TITLES["en"]),
        place=PLACES.get(language, PLACES["en"]),
        tensions=list(ValueTension.objects.seeded_for(organisation)),
        method=Method.objects.seeded_for(organisation).get(key="dilemma-method"),
        manager=organisation.memberships.filter(role=Role.MANAGER).first(),
    )
    groups = ReflectionGroup.objects.for_organisation(organisation).order_by("name")
    for g, group in enumerate(groups):
        people = invitees(group)
        facilitator = group.facilitators.first()
        if facilitator is None or not people:
            continue
        for age in range(MONTHS, 0, -1):
            evaluation = _session(demo, g, group, people, facilitator, age)
            if age > 1:
                to_close.append(evaluation.pk)
        if g == 0:
            _waiting_dilemmas(demo, group, people)
    return to_close


def _session(
    demo: _Demo,
    g: int,
    group: ReflectionGroup,
    people: list[Membership],
    facilitator: Membership,
    age: int,
) -> Evaluation:
    """The session `age` months ago, from its meeting to its evaluation."""
    n = age + g
    day = _session_day(demo.today, age, g)
    start = datetime.datetime.combine(day, datetime.time(13), demo.tz)
    meeting = Meeting.objects.create(
        organisation=demo.organisation,
        group=group,
        title=demo.title,
        place=demo.place,
        start=start,
        end=start + datetime.timedelta(minutes=90),
        created_by=demo.manager,
    )
    # A different few each month; the demo's staff sign-in takes part in
    # the latest session and can still answer its evaluation.
    turn = n % len(people)
    present = (people[turn:] + people[:turn])[: 5 + n % 3]
    staff = [p for p in people if p.user.email.startswith("staff@")]
    if age == 1:
        present = staff + [p for p in present if p not in staff][:6]
    meeting.record_attendance(present)
    case = demo.cases[n % len(demo.cases)]
    dilemma = _dilemma(demo, group, present, n, start, case)
    item = AgendaItem.objects.create(
        organisation=demo.organisation,
        meeting=meeting,
        dilemma=dilemma,
        method=demo.method,
        added_by=facilitator,
    )
    reflection = _reflect(open_reflection(item=item, facilitator=facilitator), n)
    action = Action.objects.create(
        organisation=demo.organisation,
        reflection=reflection,
        text=case[4],
        owner=present[(n + 1) % len(present)],
        # The latest is still open; earlier ones done or overdue.
        due=day + datetime.timedelta(days=45 if age == 1 else 21),
    )
    if age > 3:
        action.mark_done(by=action.owner, note="")
    reflection = _signed(reflection, facilitator, case[3], age)
    answering = present
    if age == 1:
        answering = [p for p in present if p not in staff]
    if g == 0 and age <= 2:
        # Short of the minimum, to show what that looks like.
        answering = answering[:3]
    return _evaluated(demo, reflection, answering, age)


def _signed(
    reflection: Reflection, facilitator: Membership, conclusion: str, age: int
) -> Reflection:
    """Signed off; some sessions were held with the person or a representative."""
    return sign_off(
        reflection=reflection,
        by=facilitator,
        conclusion=conclusion,
        person_present=PRESENT[age % len(PRESENT)],
    )


def _dilemma(
    demo: _Demo,
    group: ReflectionGroup,
    present: list[Membership],
    n: int,
    start: datetime.datetime,
    case: tuple[str, str, str, str, str],
) -> Dilemma:
    case_title, description, question, _conclusion, _action = case
    dilemma = Dilemma.objects.create(
        organisation=demo.organisation,
        group=group,
        author=present[n % len(present)],
        anonymous=n % 2 == 0,
        title=case_title,
        description=description,
        question=question,
    )
    # Raised one to four weeks before the session that discussed it.
    Dilemma.objects.filter(pk=dilemma.pk).update(
        created=start - datetime.timedelta(days=7 * (1 + n % 4))
    )
    tensions = demo.tensions
    dilemma.tensions.set(
        {tensions[1], tensions[n % len(tensions)]}
        if n % 2
        else {tensions[n % len(tensions)]}
    )
    # Two cases of three have the person's own view; the third asks for it.
    if n % 3:
        add_demo_voices(dilemma, demo.organisation.language)
    return dilemma


def _reflect(reflection: Reflection, n: int) -> Reflection:
    """The values and guidelines the reflection cites."""
    if reflection.version is not None:
        # The last value of the version is never cited, to show that too.
        values = list(reflection.version.values.all())[:-1][:3]
        guidelines = list(reflection.version.guidelines.all()[:3])
        reflection.cite(
            values=list(dict.fromkeys([values[0], values[n % len(values)]]))
            if values
            else [],
            guidelines=[guidelines[n % len(guidelines)]] if guidelines else [],
        )
    return reflection


def _evaluated(
    demo: _Demo, reflection: Reflection, answering: list[Membership], age: int
) -> Evaluation:
    """The session's evaluation, answered by `answering`."""
    evaluation = Evaluation.for_reflection(reflection)
    for person, membership in enumerate(answering):
        evaluation.record_answer(
            membership,
            scores={item.key: _score(i, person, age) for i, item in enumerate(ITEMS)},
            comment=demo.comments[(person + age) % len(demo.comments)]
            if person % 3 == 0
            else "",
        )
    return evaluation


def _waiting_dilemmas(
    demo: _Demo, group: ReflectionGroup, people: list[Membership]
) -> None:
    """Two dilemmas raised in the last weeks that wait for a session."""
    for weeks, case in ((1, demo.cases[2]), (3, demo.cases[3])):
        waiting = Dilemma.objects.create(
            organisation=demo.organisation,
            group=group,
            author=people[weeks % len(people)],
            title=case[0],
            description=case[1],
            question=case[2],
        )
        Dilemma.objects.filter(pk=waiting.pk).update(
            created=timezone.now() - datetime.timedelta(weeks=weeks)
        )
        waiting.tensions.set([demo.tensions[1]])


def close_demo_evaluations(pks: list[int]) -> None:
    """Close the demo's past evaluations as those who led the groups would.

    Each in a transaction of its own, after the one that wrote their answers
    (Evaluation.close): call it outside any transaction.
    """
    for evaluation in Evaluation.objects.filter(pk__in=pks).select_related(
        "reflection__organisation"
    ):
        evaluation.close()
