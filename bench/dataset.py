"""The benchmark datasets: a country's social services, or three of them.

`national`: 300 organisations, 30,000 members, 6,000 reflection groups and
100,000 reflections, with units, value bases of two adopted versions and a
draft, monthly meeting series, dilemmas, actions, evaluations and the audit log
that reading all of it leaves. `small`: the first three organisations of the
national dataset, exactly as they are there, and nothing else; the people the
benchmark signs in as are in the first organisation, so the same pages show the
same rows on both and only the rest of the country differs.

Everything is made with bulk inserts (COPY for the large leaf tables) in the
order the models allow: a version's content while it is a draft, then adopted
through `Version.adopt`; a reflection's steps, citations and actions while it
is open, then signed off, pinned to the version in force on the meeting date.
The database triggers stay on throughout and check all of it.

    python bench/dataset.py [--dataset national|small] [--reseed]
    python bench/dataset.py --describe      # the people and pages, as JSON

The database is BENCH_DATABASE_URL (national) or BENCH_SMALL_DATABASE_URL; it
is created when missing, migrated, and seeded unless it already holds this
version of the dataset.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import os
import random
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Raised whenever what is seeded changes, so an older database is seeded anew.
DATASET_VERSION = "1"
PASSWORD = "bench-reflektera-tillsammans"
DATABASES = {
    "national": os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/etikrum_national"
    ),
    "small": os.environ.get(
        "BENCH_SMALL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/etikrum_small"
    ),
}
NATIONAL = {"organisations": 300, "members": 30_000, "groups": 6_000}
NATIONAL_REFLECTIONS = 100_000
# The first organisations are a large city, a mid-sized town and a small one;
# the rest of the country shares what is left.
FIRST = [(1500, 300, 5000), (600, 120, 2000), (300, 60, 1000)]
MEMBERS_PER_UNIT = 15
PAST_MEETINGS = 20
UPCOMING_MEETINGS = 4
EVALUATED_MONTHS = 6
ATTENDANCE_MONTHS = 6


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + uuid.uuid4().hex)
    import django

    django.setup()


def create_database(url: str) -> None:
    """Create the database of `url` if it does not exist yet."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Shape ---------------------------------------------------------------------


def shape(dataset: str) -> list[tuple[int, int, int]]:
    """(members, groups, reflections) of each organisation."""
    rest = NATIONAL["organisations"] - len(FIRST)
    members = NATIONAL["members"] - sum(f[0] for f in FIRST)
    groups = NATIONAL["groups"] - sum(f[1] for f in FIRST)
    reflections = NATIONAL_REFLECTIONS - sum(f[2] for f in FIRST)
    rng = random.Random(15)
    weights = [rng.uniform(0.5, 1.5) for _ in range(rest)]
    total = sum(weights)

    def split(amount: int) -> list[int]:
        parts = [int(amount * w / total) for w in weights]
        for i in range(amount - sum(parts)):
            parts[i % rest] += 1
        return parts

    sizes = list(zip(split(members), split(groups), split(reflections), strict=True))
    everything = FIRST + sizes
    return everything if dataset == "national" else FIRST


# --- Texts -----------------------------------------------------------------------

SECTIONS = [
    ("Vilka vi är till för", "Socialtjänsten finns till för människor som behöver "),
    ("Varför en värdegrund", "Värdegrunden beskriver hur vi bemöter varandra och "),
    ("Så använder vi den", "Vi använder värdegrunden i det dagliga arbetet, när "),
    ("Etisk reflektion", "I reflektionsgrupperna prövar vi svåra situationer mot "),
    ("Ansvar och uppföljning", "Cheferna ansvarar för att värdegrunden följs upp och "),
]
VALUES = [
    ("Respekt", "Vi möter varje människa med respekt för hennes värdighet och "),
    ("Delaktighet", "Den enskilde är delaktig i beslut som rör hens liv och "),
    ("Trygghet", "Den som får stöd av oss ska kunna känna sig trygg och "),
    ("Rättssäkerhet", "Våra beslut vilar på lag och är förutsebara, och "),
    ("Öppenhet", "Vi är öppna med hur vi arbetar och varför vi beslutar som "),
    ("Professionalitet", "Vi arbetar med kunskap, omdöme och ett lyhört "),
]
AUDIENCES = [
    ("alla", "Alla medarbetare"),
    ("klientnara", "Medarbetare i möten med brukare"),
    ("chefer", "Chefer"),
    ("samtalsledare", "Samtalsledare"),
]
GUIDELINE_TEXTS = [
    "Jag lyssnar på den enskildes berättelse innan jag föreslår något.",
    "Jag förklarar beslut så att den enskilde förstår dem och kan överklaga.",
    "Jag talar om den enskilde som om hen vore närvarande.",
    "Jag säger till när jag ser något som strider mot värdegrunden.",
    "Jag tar upp svåra frågor i arbetsgruppen i stället för att bära dem ensam.",
    "Jag skyddar uppgifter om enskilda och lämnar dem bara ut när lagen medger.",
]
DILEMMAS = [
    ("Vill inte ta emot hjälp", "En äldre brukare tackar nej till hemtjänst trots "),
    (
        "Föräldern som inte svarar",
        "Skolan oroar sig för ett barn, men vårdnadshavaren ",
    ),
    ("Ekonomiskt bistånd och bil", "En sökande behöver bilen för arbete men äger den "),
    ("Anhörig vill veta mer", "En dotter vill veta hur hennes pappa har det på "),
    ("Boendestödet och rökningen", "En boende röker inomhus trots brandrisken och "),
    (
        "Placeringen som drar ut",
        "Ett placerat barn vill flytta hem, men förhållandena ",
    ),
    ("Tvång eller frivillighet", "Missbruket har förvärrats och frågan om LVM väcks "),
    ("Kollegan som genar", "En kollega hoppar över dokumentation när det är "),
    ("Önskemål om personal", "En brukare vill inte få hjälp av manlig personal och "),
    ("Sekretess mot samverkan", "Polisen ber om uppgifter om en ungdom som vi "),
]
QUESTIONS = [
    "Ska vi respektera hens nej eller ingripa?",
    "Ska vi gå vidare nu eller vänta in fler uppgifter?",
    "Vad väger tyngst här, och vem ska vi fråga?",
]
FILLER = (
    "Situationen har pågått en tid och flera i arbetsgruppen har olika syn på "
    "vad som är rätt. Vi har pratat med den enskilde och med närstående, och "
    "vi vill pröva frågan mot värdegrunden innan vi bestämmer oss. "
)


def text(start: str, words: int = 2) -> str:
    return start + FILLER * words


# --- Helpers ---------------------------------------------------------------------


@contextlib.contextmanager
def own_dates(*fields):
    """Let bulk inserts keep the dates given instead of now (auto_now_add)."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY plain rows into a model's table; `columns` are field or column names."""
    from django.db import connection

    opts = model._meta
    names = []
    for name in columns:
        try:
            names.append(opts.get_field(name).column)
        except Exception:
            names.append(name)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        cols = ", ".join(f'"{n}"' for n in names)
        sql = f'COPY "{opts.db_table}" ({cols}) FROM STDIN'
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def bulk(model, objs: list, batch: int = 5000) -> list:
    from django.db.models import QuerySet

    # A plain QuerySet: the model's own checks look each parent up one by one,
    # which the database triggers do here anyway.
    return QuerySet(model).bulk_create(objs, batch_size=batch)


def months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 - months
    year = day.year + month // 12
    return datetime.date(year, month % 12 + 1, 1)


# --- Seeding ---------------------------------------------------------------------


class Seeder:
    def __init__(self, dataset: str):
        self.dataset = dataset
        self.sizes = shape(dataset)
        self.rng = random.Random(2026)
        self.now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        self.today = self.now.date()
        self.timings: dict[str, float] = {}

    @contextlib.contextmanager
    def step(self, name: str):
        start = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - start, 1)
        print(f"  {name}: {self.timings[name]} s", file=sys.stderr, flush=True)

    def run(self) -> None:
        from django.db import transaction

        with transaction.atomic():
            with self.step("organisations, units, people"):
                self.people()
            with self.step("groups"):
                self.groups()
            with self.step("value bases"):
                self.value_bases()
            with self.step("meetings"):
                self.meetings()
            with self.step("dilemmas and reflections"):
                self.reflections()
            with self.step("evaluations"):
                self.evaluations()
            with self.step("answers and attendance"):
                self.answers()
            with self.step("audit log"):
                self.audit()
        with self.step("analyse"):
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def people(self) -> None:
        from django.contrib.auth.hashers import make_password

        from accounts.models import User
        from guidelines.models import Audience
        from organisations.models import Membership, Organisation, Role, Unit

        orgs = []
        for i, _size in enumerate(self.sizes):
            danish = i % 7 == 3
            orgs.append(
                Organisation(
                    name=f"{'Kommune' if danish else 'Kommun'} {i:03d}",
                    slug=f"kommun-{i:03d}",
                    language="da" if danish else "sv",
                    time_zone="Europe/Copenhagen" if danish else "Europe/Stockholm",
                    # The organisations the benchmark signs in to leave two
                    # factors to the people; the rest keep the default.
                    require_mfa=i >= len(FIRST),
                    idle_minutes=480,
                )
            )
        self.orgs = bulk(Organisation, orgs)
        Organisation.objects.update(created=self.now - datetime.timedelta(days=1500))
        # Units: the administration, its areas, and units of about fifteen people.
        roots = bulk(
            Unit,
            [
                Unit(organisation=o, name="Socialförvaltningen", kind="administration")
                for o in self.orgs
            ],
        )
        self.roots = roots
        areas, self.org_areas = [], []
        for org, root, (members, _g, _r) in zip(
            self.orgs, roots, self.sizes, strict=True
        ):
            units = max(2, round(members / MEMBERS_PER_UNIT))
            count = max(1, round(math.sqrt(units / 2)))
            made = [
                Unit(organisation=org, parent=root, name=f"Område {a + 1}", kind="area")
                for a in range(count)
            ]
            areas.extend(made)
            self.org_areas.append(made)
        bulk(Unit, areas)
        units, self.org_units = [], []
        for org, org_areas, (members, _g, _r) in zip(
            self.orgs, self.org_areas, self.sizes, strict=True
        ):
            count = max(2, round(members / MEMBERS_PER_UNIT))
            made = []
            for n in range(count):
                # The first area is the largest: a quarter of the units.
                area = org_areas[0] if n < count // 4 else org_areas[n % len(org_areas)]
                made.append(Unit(organisation=org, parent=area, name=f"Enhet {n + 1}"))
            units.extend(made)
            self.org_units.append(made)
        bulk(Unit, units)

        audiences = bulk(
            Audience,
            [
                Audience(organisation=org, key=key, name=name, position=p)
                for org in self.orgs
                for p, (key, name) in enumerate(AUDIENCES)
            ],
        )
        self.audiences = {(a.organisation_id, a.key): a for a in audiences}
        password = make_password(PASSWORD)
        users, plan = [], []
        for i, (org, (members, _g, _r)) in enumerate(
            zip(self.orgs, self.sizes, strict=True)
        ):
            org_units = self.org_units[i]
            people = [
                ("admin", Role.ADMIN, self.roots[i]),
                ("editor", Role.EDITOR, self.roots[i]),
                ("chef", Role.MANAGER, self.roots[i]),
            ]
            people += [
                (f"chef{a + 1}", Role.MANAGER, area)
                for a, area in enumerate(self.org_areas[i])
            ]
            n = 0
            while len(people) < members:
                unit = org_units[n % len(org_units)]
                role = Role.FACILITATOR if n < 2 * len(org_units) else Role.STAFF
                people.append((f"p{n + 1}", role, unit))
                n += 1
            for local, role, unit in people[:members]:
                email = f"{local}@{org.slug}.example"
                users.append(
                    User(
                        email=email,
                        name=f"{local.title()} {org.slug[-3:]}",
                        password=password,
                    )
                )
                plan.append((org, role, unit))
        with own_dates(User._meta.get_field("date_joined")):
            for user in users:
                user.date_joined = self.now - datetime.timedelta(days=900)
            self.users = bulk(User, users)
        from allauth.account.models import EmailAddress

        copy_rows(
            EmailAddress,
            ["user", "email", "verified", "primary"],
            ((u.pk, u.email, True, True) for u in self.users),
        )
        memberships = [
            Membership(user=user, organisation=org, unit=unit, role=role)
            for user, (org, role, unit) in zip(self.users, plan, strict=True)
        ]
        self.memberships = bulk(Membership, memberships)
        through = Membership.audiences.through
        rows = []
        for m in self.memberships:
            keys = ["alla", "klientnara"]
            if m.role == Role.MANAGER:
                keys = ["alla", "chefer"]
            elif m.role == Role.FACILITATOR:
                keys = ["alla", "klientnara", "samtalsledare"]
            rows += [(m.pk, self.audiences[(m.organisation_id, k)].pk) for k in keys]
        copy_rows(through, ["membership_id", "audience_id"], rows)

    def groups(self) -> None:
        from organisations.models import ReflectionGroup, Role

        by_unit: dict[int, list] = {}
        for m in self.memberships:
            by_unit.setdefault(m.unit_id, []).append(m)
        groups = []
        for i, (org, (_m, count, _r)) in enumerate(
            zip(self.orgs, self.sizes, strict=True)
        ):
            units = self.org_units[i]
            for n in range(count):
                groups.append(
                    ReflectionGroup(
                        organisation=org,
                        unit=units[n % len(units)],
                        name=f"Reflektionsgrupp {n + 1}",
                        description="Vi träffas en gång i månaden.",
                        anonymous_positions=n % 3 == 0,
                    )
                )
        self.group_list = bulk(ReflectionGroup, groups)
        members_rows, facilitator_rows = [], []
        self.group_members: dict[int, list] = {}
        self.group_facilitators: dict[int, list] = {}
        for g in self.group_list:
            people = by_unit[g.unit_id]
            leaders = [p for p in people if p.role == Role.FACILITATOR] or people[:1]
            staff = [p for p in people if p.role == Role.STAFF]
            chosen = self.rng.sample(staff, min(len(staff), 8))
            lead = leaders[: 1 + g.pk % 2]
            self.group_members[g.pk] = chosen
            self.group_facilitators[g.pk] = lead
            members_rows += [(g.pk, m.pk) for m in chosen]
            facilitator_rows += [(g.pk, m.pk) for m in lead]
        copy_rows(
            ReflectionGroup.members.through,
            ["reflectiongroup_id", "membership_id"],
            members_rows,
        )
        copy_rows(
            ReflectionGroup.facilitators.through,
            ["reflectiongroup_id", "membership_id"],
            facilitator_rows,
        )

    def value_bases(self) -> None:
        from dilemmas.models import ValueTension
        from reflections.models import Method
        from values.models import ValueBase, Version

        for org in self.orgs:
            ValueTension.objects.seeded_for(org)
            Method.objects.seeded_for(org)
        self.tensions: dict[int, list[int]] = {}
        for t in ValueTension.objects.all().order_by("pk"):
            self.tensions.setdefault(t.organisation_id, []).append(t.pk)
        self.methods = {
            m.organisation_id: m
            for m in Method.objects.filter(key="five-step-model").prefetch_related(
                "steps"
            )
        }
        bases = bulk(
            ValueBase,
            [
                ValueBase(organisation=o, slug="vardegrund", name="Värdegrund")
                for o in self.orgs
            ],
        )
        # Version 1 in force for years, version 2 since ten months, and the
        # editors working on the next one. One draft at a time: each version is
        # filled while it is the draft, then adopted.
        v1_from = months_before(self.today, 50)
        v2_from = months_before(self.today, 10)
        self.values_of: dict[int, list] = {}
        self.guidelines_of: dict[int, list] = {}
        self.versions: dict[int, list] = {}
        for number, effective in ((1, v1_from), (2, v2_from)):
            versions = bulk(
                Version,
                [
                    Version(value_base=b, number=number, title=f"Värdegrund {number}")
                    for b in bases
                ],
            )
            self.fill(versions)
            for v in versions:
                self.versions.setdefault(v.value_base.organisation_id, []).append(v)
                v.adopt(
                    adopted_on=effective - datetime.timedelta(days=20),
                    adopted_by="Socialnämnden",
                    effective_from=effective,
                )
        self.v2_from = v2_from
        bulk(
            Version,
            [
                Version(value_base=b, number=3, title="Värdegrund, förslag")
                for b in bases
            ],
        )

    def fill(self, versions: list) -> None:
        """The content of draft versions: sections, values, guidelines per audience."""
        from django.db.models import QuerySet

        from guidelines.models import Guideline, LeadIn
        from values.models import Commitment, CoreValue, LegalBasis, Section

        sections, legal, values, guidelines, lead_ins = [], [], [], [], []
        for v in versions:
            org_id = v.value_base.organisation_id
            changed = v.number == 2
            for p, (title, start) in enumerate(SECTIONS):
                body = text(start, 3 if changed and p == 1 else 2)
                sections.append(
                    Section(version=v, key=f"s{p}", title=title, body=body, position=p)
                )
            for p, law in enumerate(["Socialtjänstlagen", "Förvaltningslagen"]):
                legal.append(
                    LegalBasis(
                        version=v,
                        key=f"l{p}",
                        law=law,
                        reference=f"{p + 1} kap. 1 §",
                        text=text("Lagen säger att ", 1),
                        position=p,
                    )
                )
            for p, (title, start) in enumerate(VALUES[: 5 + changed]):
                values.append(
                    CoreValue(
                        version=v,
                        key=f"v{p}",
                        title=title,
                        description=text(start, 1),
                        position=p,
                    )
                )
            for a, (key, _name) in enumerate(AUDIENCES):
                audience = self.audiences[(org_id, key)]
                lead_ins.append(
                    LeadIn(
                        version=v,
                        audience=audience,
                        key=f"li-{key}",
                        text="Som medarbetare ska du:",
                    )
                )
                for p, line in enumerate(GUIDELINE_TEXTS):
                    wording = line if not (changed and p == a) else line + " Alltid."
                    guidelines.append(
                        Guideline(
                            version=v,
                            audience=audience,
                            key=f"g{a}-{p}",
                            title="",
                            text=wording,
                            position=p,
                        )
                    )
        bulk(Section, sections)
        bulk(LegalBasis, legal)
        values = bulk(CoreValue, values)
        commitments = [
            Commitment(
                value=value,
                key=f"c{n}",
                position=n,
                text=f"Vi visar {value.title.lower()} genom att lyssna. {n}",
            )
            for value in values
            for n in range(3)
        ]
        QuerySet(Commitment).bulk_create(commitments, batch_size=5000)
        guidelines = bulk(Guideline, guidelines)
        bulk(LeadIn, lead_ins)
        values_of: dict[int, list] = {}
        for value in values:
            values_of.setdefault(value.version_id, []).append(value)
        copy_rows(
            Guideline.related_values.through,
            ["guideline_id", "corevalue_id"],
            ((g.pk, values_of[g.version_id][g.position % 5].pk) for g in guidelines),
        )
        self.values_of.update(values_of)
        for g in guidelines:
            self.guidelines_of.setdefault(g.version_id, []).append(g)

    def meetings(self) -> None:
        from meetings.models import Meeting, Series

        series = []
        first = months_before(self.today, PAST_MEETINGS)
        for g in self.group_list:
            org = self.orgs_by_id[g.organisation_id]
            weekday = g.pk % 4  # Monday to Thursday
            day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7)
            s = Series(
                organisation_id=g.organisation_id,
                group=g,
                title="Etisk reflektion",
                place=f"Rum {g.pk % 9 + 1}",
                agenda="Dilemma\nReflektion\nÖverenskommelser",
                time_zone=org.time_zone,
                first_date=day,
                start_time=datetime.time(13 + g.pk % 3),
                end_time=datetime.time(14 + g.pk % 3, 30),
                frequency=Series.Frequency.MONTHLY,
                interval=1,
                week_of_month=1 + g.pk % 4,
                count=PAST_MEETINGS + UPCOMING_MEETINGS,
                created_by=self.group_facilitators[g.pk][0],
            )
            series.append(s)
        with own_dates(Series._meta.get_field("created")):
            for s in series:
                s.created = datetime.datetime.combine(
                    first, datetime.time(9), ZoneInfo(s.time_zone)
                ) - datetime.timedelta(days=20)
            series = bulk(Series, series)
        meetings = []
        for s in series:
            expected = len(self.group_members[s.group_id]) + len(
                self.group_facilitators[s.group_id]
            )
            for start, end in s.slots():
                held = end < self.now
                attended = min(expected, max(2, expected - start.day % 3))
                meetings.append(
                    Meeting(
                        organisation_id=s.organisation_id,
                        group_id=s.group_id,
                        series=s,
                        recurrence_id=start,
                        title=s.title,
                        place=s.place,
                        agenda=s.agenda,
                        start=start,
                        end=end,
                        status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
                        attended_count=attended if held else None,
                        expected_count=expected if held else None,
                        created_by=s.created_by,
                        created=s.created,
                        changed=min(end, self.now),
                    )
                )
        fields = Meeting._meta
        with own_dates(fields.get_field("created"), fields.get_field("changed")):
            self.meeting_list = bulk(Meeting, meetings)
        self.group_meetings: dict[int, list] = {}
        for m in self.meeting_list:
            self.group_meetings.setdefault(m.group_id, []).append(m)

    @property
    def orgs_by_id(self):
        return {o.pk: o for o in self.orgs}

    def reflections(self) -> None:
        from dilemmas.models import Dilemma
        from reflections.models import (
            Action,
            AgendaItem,
            Citation,
            Reflection,
            ReflectionStep,
        )

        per_group: dict[int, int] = {}
        for i, (_m, count, reflections) in enumerate(self.sizes):
            groups = [
                g for g in self.group_list if g.organisation_id == self.orgs[i].pk
            ]
            for n, g in enumerate(groups):
                per_group[g.pk] = reflections // count + (n < reflections % count)
        dilemmas, sessions = [], []
        for g in self.group_list:
            past = [m for m in self.group_meetings[g.pk] if m.end < self.now]
            upcoming = [m for m in self.group_meetings[g.pk] if m.end >= self.now]
            people = self.group_members[g.pk] or self.group_facilitators[g.pk]
            for n in range(per_group[g.pk]):
                # The most recent meetings first, a second dilemma when a group
                # has more reflections than meetings.
                meeting = past[-1 - n % len(past)]
                title, start = DILEMMAS[(g.pk + n) % len(DILEMMAS)]
                d = Dilemma(
                    organisation_id=g.organisation_id,
                    group=g,
                    author=people[n % len(people)],
                    anonymous=n % 5 == 0,
                    title=f"{title} ({n + 1})",
                    description=text(start, 2),
                    question=QUESTIONS[n % len(QUESTIONS)],
                    status=Dilemma.Status.DISCUSSED,
                    created=meeting.start - datetime.timedelta(days=12),
                    changed=meeting.end,
                )
                dilemmas.append(d)
                sessions.append((d, meeting, n == 0 and g.pk % 4 == 0))
            # Raised for the next meeting, and one waiting for a slot.
            for k in range(2):
                title, start = DILEMMAS[(g.pk + k + 3) % len(DILEMMAS)]
                dilemmas.append(
                    Dilemma(
                        organisation_id=g.organisation_id,
                        group=g,
                        author=people[(k + 1) % len(people)],
                        title=f"{title} (ny)",
                        description=text(start, 1),
                        question=QUESTIONS[k],
                        status=Dilemma.Status.ON_AGENDA if k == 0 else "raised",
                        created=self.now - datetime.timedelta(days=5 + k),
                        changed=self.now - datetime.timedelta(days=5 + k),
                    )
                )
                if k == 0 and upcoming:
                    sessions.append((dilemmas[-1], upcoming[0], None))
        fields = Dilemma._meta
        with own_dates(fields.get_field("created"), fields.get_field("changed")):
            dilemmas = bulk(Dilemma, dilemmas)
        tension_rows = []
        for d in dilemmas:
            ts = self.tensions[d.organisation_id]
            tension_rows += [(d.pk, ts[d.pk % 5]), (d.pk, ts[(d.pk + 2) % 5])]
        copy_rows(
            Dilemma.tensions.through, ["dilemma_id", "valuetension_id"], tension_rows
        )
        items = [
            AgendaItem(
                organisation_id=d.organisation_id,
                meeting=m,
                dilemma=d,
                method=self.methods[d.organisation_id],
                added_by=self.group_facilitators[d.group_id][0],
            )
            for d, m, _open in sessions
        ]
        bulk(AgendaItem, items)
        reflections = []
        for d, m, still_open in sessions:
            if still_open is None:
                continue  # on the agenda of a meeting to come
            version = self.in_force(d.organisation_id, m.start)
            method = self.methods[d.organisation_id]
            reflections.append(
                Reflection(
                    organisation_id=d.organisation_id,
                    dilemma=d,
                    meeting=m,
                    method=method,
                    method_name=method.name,
                    version=version,
                    facilitator=self.group_facilitators[d.group_id][0],
                    anonymous_positions=d.group.anonymous_positions,
                    current_step=1 if still_open else len(method.steps.all()),
                    created=m.start,
                )
            )
            reflections[-1].still_open = still_open
        with own_dates(Reflection._meta.get_field("created")):
            reflections = bulk(Reflection, reflections)
        self.reflection_list = reflections
        step_rows, citation_rows = [], []
        for r in reflections:
            for number, s in enumerate(self.methods[r.organisation_id].steps.all(), 1):
                notes = FILLER if s.kind == "text" else ""
                step_rows.append(
                    (
                        r.pk,
                        number,
                        s.title,
                        s.guidance,
                        s.kind,
                        s.minutes,
                        s.concludes,
                        s.person_view,
                        False,
                        notes,
                        1 if notes else 0,
                    )
                )
            values = self.values_of[r.version_id]
            guidelines = self.guidelines_of[r.version_id]
            citation_rows += [
                (r.pk, values[r.pk % len(values)].pk, None),
                (r.pk, values[(r.pk + 1) % len(values)].pk, None),
                (r.pk, None, guidelines[r.pk % len(guidelines)].pk),
            ]
        copy_rows(
            ReflectionStep,
            [
                "reflection",
                "position",
                "title",
                "guidance",
                "kind",
                "minutes",
                "concludes",
                "person_view",
                "skipped",
                "notes",
                "notes_revision",
            ],
            step_rows,
        )
        copy_rows(Citation, ["reflection", "value", "guideline"], citation_rows)
        actions = []
        for r in reflections:
            if r.pk % 2:
                continue
            people = self.group_members[r.dilemma.group_id] or [r.facilitator]
            due = (r.meeting.start + datetime.timedelta(days=30)).date()
            done = (
                r.meeting.start + datetime.timedelta(days=25)
                if (due < self.today - datetime.timedelta(days=30) and r.pk % 6)
                else None
            )
            actions.append(
                Action(
                    organisation_id=r.organisation_id,
                    reflection=r,
                    text="Återkoppla till arbetsgruppen och följ upp om en månad.",
                    owner=people[r.pk % len(people)],
                    due=due,
                    done=done,
                    done_by=r.facilitator if done else None,
                    done_note="Klart." if done else "",
                    created=r.meeting.end,
                )
            )
        with own_dates(Action._meta.get_field("created")):
            bulk(Action, actions)
        # Signed off an hour after the meeting, by its facilitator; the last
        # session of every fourth group is still open.
        from django.db import connection

        closing = [r.pk for r in reflections if not r.still_open]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE reflections_reflection r
                SET status = 'signed_off', signed_off = m."end" + interval '1 hour',
                    signed_off_by_id = r.facilitator_id,
                    conclusion = 'Vi enades om att pröva frågan mot värdegrunden '
                                 'och återkomma efter en månad.'
                FROM meetings_meeting m
                WHERE m.id = r.meeting_id AND r.id = ANY(%s)
                """,
                [closing],
            )
            cursor.execute(
                "UPDATE dilemmas_dilemma SET status = 'on_agenda' WHERE id = ANY(%s)",
                [[r.dilemma_id for r in reflections if r.still_open]],
            )

    def in_force(self, org_id: int, start: datetime.datetime):
        org = self.orgs_by_id[org_id]
        day = start.astimezone(ZoneInfo(org.time_zone)).date()
        v1, v2 = self.versions[org_id]
        return v2 if day >= self.v2_from else v1

    def evaluations(self) -> None:
        from evaluations.models import Evaluation

        since = self.now - datetime.timedelta(days=30 * EVALUATED_MONTHS)
        chosen = [
            r
            for r in self.reflection_list
            if not r.still_open
            and r.meeting.start >= since
            and r.dilemma.group_id % 3 == 0
        ]
        evaluations = [
            Evaluation(
                organisation_id=r.organisation_id,
                reflection=r,
                held=r.meeting.start.astimezone(
                    ZoneInfo(self.orgs_by_id[r.organisation_id].time_zone)
                ).date(),
                # Past sessions, their answers released (evaluations/models.py).
                state=Evaluation.State.RELEASED,
            )
            for r in chosen
        ]
        self.evaluation_list = bulk(Evaluation, evaluations)

    def answers(self) -> None:
        from evaluations.models import Answer, Respondent, Score
        from evaluations.questionnaire import ITEMS
        from meetings.models import Attendance, Response

        since = self.now - datetime.timedelta(days=30 * ATTENDANCE_MONTHS)
        present: dict[int, list] = {}
        rows = []
        for m in self.meeting_list:
            if m.attended_count is None or m.start < since:
                continue
            people = (
                self.group_facilitators[m.group_id] + self.group_members[m.group_id]
            )
            came = people[: m.attended_count]
            present[m.pk] = came
            rows += [(m.pk, p.pk) for p in came]
        copy_rows(Attendance, ["meeting", "membership"], rows)
        respondents, answers, scores = [], [], []
        for e in self.evaluation_list:
            came = present.get(e.reflection.meeting_id, [])
            for n, person in enumerate(came[: max(0, len(came) - 1)]):
                respondents.append((uuid.uuid4(), e.pk, person.pk))
                answer = uuid.uuid4()
                answers.append((answer, e.pk, "Bra samtal." if n == 0 else ""))
                scores += [
                    (answer, item.key, item.domain, 1 + (e.pk + n + len(item.key)) % 4)
                    for item in ITEMS
                ]
        copy_rows(Respondent, ["id", "evaluation", "membership"], respondents)
        copy_rows(Answer, ["id", "evaluation", "comment"], answers)
        copy_rows(Score, ["answer", "item", "domain", "value"], scores)
        rows = []
        for meetings in self.group_meetings.values():
            upcoming = [m for m in meetings if m.end >= self.now][:2]
            for m in upcoming:
                people = self.group_members[m.group_id]
                rows += [
                    (m.pk, p.pk, ("yes", "no", "maybe")[p.pk % 3], self.now)
                    for p in people[: len(people) // 2]
                ]
        copy_rows(Response, ["meeting", "membership", "answer", "answered"], rows)

    def audit(self) -> None:
        from audit import chain
        from audit.models import AuditEvent, person_label

        units = {u.pk: u for units in self.org_units for u in units}
        users = {u.pk: u for u in self.users}
        groups = {g.pk: g for g in self.group_list}
        rows = []

        def row(at, membership, unit_id, kind, obj_uuid, action, view):
            user = users[membership.user_id]
            unit = units.get(unit_id)
            return SimpleNamespace(
                uuid=uuid.uuid4(),
                at=at,
                organisation_id=membership.organisation_id,
                user_id=user.pk,
                membership_id=membership.pk,
                person=person_label(user),
                role=membership.role,
                unit_id=unit_id,
                unit_name=unit.name if unit else "",
                object_kind=kind,
                object_uuid=obj_uuid,
                object_name="",
                action=action,
                outcome="allowed",
                via="page",
                view=view,
                detail="",
            )

        for r in self.reflection_list:
            group = groups[r.dilemma.group_id]
            readers = (
                self.group_facilitators[group.pk] + self.group_members[group.pk][:2]
            )
            start = r.meeting.start
            rows.append(
                row(
                    r.dilemma.created,
                    r.dilemma.author,
                    group.unit_id,
                    "dilemma",
                    r.dilemma.uuid,
                    "create",
                    "dilemmas:create",
                )
            )
            for n, reader in enumerate(readers):
                rows.append(
                    row(
                        start - datetime.timedelta(days=2 + n),
                        reader,
                        group.unit_id,
                        "dilemma",
                        r.dilemma.uuid,
                        "read",
                        "dilemmas:detail",
                    )
                )
                rows.append(
                    row(
                        start + datetime.timedelta(minutes=5 + n),
                        reader,
                        group.unit_id,
                        "reflection",
                        r.uuid,
                        "read",
                        "reflections:detail",
                    )
                )
            if not r.still_open:
                rows.append(
                    row(
                        r.meeting.end + datetime.timedelta(hours=1),
                        r.facilitator,
                        group.unit_id,
                        "reflection",
                        r.uuid,
                        "sign_off",
                        "reflections:sign_off",
                    )
                )
        # Each organisation's rows form a hash chain in the order of time
        # (audit/chain.py); the database checks nothing of it, verify_audit does.
        rows.sort(key=lambda r: (r.organisation_id, r.at))
        heads: dict[int, tuple[int, str]] = {}
        for r in rows:
            seq, previous = heads.get(r.organisation_id, (0, chain.GENESIS))
            r.seq = seq + 1
            r.hash = chain.digest(previous, r)
            heads[r.organisation_id] = (r.seq, r.hash)
        columns = [
            "uuid",
            "at",
            "organisation",
            "user",
            "membership",
            "person",
            "role",
            "unit",
            "unit_name",
            "object_kind",
            "object_uuid",
            "object_name",
            "action",
            "outcome",
            "via",
            "view",
            "detail",
            "seq",
            "hash",
        ]
        attributes = [
            f"{c}_id" if c in {"organisation", "user", "membership", "unit"} else c
            for c in columns
        ]
        copy_rows(
            AuditEvent,
            columns,
            (tuple(getattr(r, a) for a in attributes) for r in rows),
        )


# --- Marker and description -----------------------------------------------------

MARKER = "bench_dataset"


def marker() -> dict | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT info FROM {MARKER}")
        found = cursor.fetchone()
    return json.loads(found[0]) if found else None


def write_marker(info: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (info text)")
        cursor.execute(f"DELETE FROM {MARKER}")
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s)", [json.dumps(info)])


def counts() -> dict[str, int]:
    from dilemmas.models import Dilemma
    from meetings.models import Meeting
    from organisations.models import Membership, Organisation, ReflectionGroup
    from reflections.models import Reflection

    return {
        "organisations": Organisation.objects.count(),
        "members": Membership.objects.count(),
        "groups": ReflectionGroup.objects.count(),
        "meetings": Meeting.objects.count(),
        "dilemmas": Dilemma.objects.count(),
        "reflections": Reflection.objects.count(),
    }


def describe() -> dict:
    """Who the benchmark signs in as, and the address of every page it loads."""
    from django.db.models import Count
    from django.utils import timezone

    from meetings.models import Meeting
    from organisations.models import Membership, Organisation, Role
    from reflections.models import Reflection

    org = Organisation.objects.get(slug="kommun-000")
    area = (
        org.units.filter(kind="area")
        .annotate(n=Count("children"))
        .order_by("-n", "pk")
        .first()
    )
    manager = Membership.objects.get(organisation=org, unit=area, role=Role.MANAGER)
    staff = (
        Membership.objects.filter(organisation=org, role=Role.STAFF, unit__parent=area)
        .annotate(n=Count("reflection_groups"))
        .order_by("-n", "pk")
        .first()
    )
    admin = Membership.objects.get(organisation=org, role=Role.ADMIN)
    group = staff.reflection_groups.order_by("pk").first()
    meeting = (
        Meeting.objects.filter(group=group, end__gte=timezone.now())
        .order_by("start")
        .first()
    )
    reflection = (
        Reflection.objects.filter(dilemma__group=group, status="signed_off")
        .order_by("-meeting__start")
        .first()
    )
    o = f"/o/{org.slug}"
    base = f"{o}/values/vardegrund"
    past = timezone.localdate() - datetime.timedelta(days=800)
    pages = [
        ("value base in force", "staff", f"{base}/"),
        ("guidelines for my role", "staff", f"{base}/guidelines/"),
        ("value base on a past date", "staff", f"{base}/?on={past.isoformat()}"),
        ("compare versions", "staff", f"{base}/compare/"),
        ("search", "staff", f"{base}/search/?q=respekt"),
        ("dashboard (staff)", "staff", f"{o}/"),
        ("dashboard (manager)", "manager", f"{o}/"),
        ("group list", "manager", f"{o}/groups/"),
        ("group page", "staff", f"{o}/groups/{group.uuid}/"),
        ("meeting page", "staff", f"{o}/meetings/{meeting.uuid}/"),
        ("dilemma list (staff)", "staff", f"{o}/dilemmas/"),
        ("dilemma list (manager)", "manager", f"{o}/dilemmas/"),
        ("reflection page", "staff", f"{o}/reflections/{reflection.uuid}/"),
        ("reflection log", "staff", f"{o}/reflections/{reflection.uuid}/log/"),
        ("action list", "manager", f"{o}/actions/"),
        ("meeting overview", "manager", f"{o}/meetings/overview/"),
        ("insights", "manager", f"{o}/insights/"),
    ]
    lists = [
        ("dilemma list (staff)", "staff", f"{o}/dilemmas/"),
        ("dilemma list (manager)", "manager", f"{o}/dilemmas/"),
        ("action list", "manager", f"{o}/actions/"),
        ("group list", "manager", f"{o}/groups/"),
        ("meeting overview", "manager", f"{o}/meetings/overview/"),
        ("dashboard (manager)", "manager", f"{o}/"),
        ("dashboard (staff)", "staff", f"{o}/"),
        ("reflection log", "staff", f"{o}/reflections/{reflection.uuid}/log/"),
        ("members list", "admin", f"{o}/members/"),
        ("audit log", "admin", f"{o}/audit/"),
    ]
    return {
        "password": PASSWORD,
        "people": {
            "staff": staff.user.email,
            "manager": manager.user.email,
            "admin": admin.user.email,
            "editor": f"editor@{org.slug}.example",
        },
        "pages": [{"name": n, "role": r, "path": p} for n, r, p in pages],
        "lists": [{"name": n, "role": r, "path": p} for n, r, p in lists],
    }


def ensure(dataset: str, *, reseed: bool) -> dict:
    """Seed the dataset unless the database already holds it; return its marker."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    found = marker()
    if found and found.get("version") == DATASET_VERSION and not reseed:
        print(
            f"{dataset}: already seeded on {found['seeded']}, reused", file=sys.stderr
        )
        return found
    if found or reseed:
        # Start from an empty database: the triggers refuse deleting history.
        from django.db import connection

        connection.close()
        drop_database(DATABASES[dataset])
        create_database(DATABASES[dataset])
        call_command("migrate", verbosity=0)
    print(f"{dataset}: seeding", file=sys.stderr, flush=True)
    start = time.perf_counter()
    seeder = Seeder(dataset)
    seeder.run()
    info = {
        "version": DATASET_VERSION,
        "dataset": dataset,
        "seeded": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - start, 1),
        "steps": seeder.timings,
        "counts": counts(),
    }
    write_marker(info)
    print(
        f"{dataset}: seeded in {info['seconds']} s: {info['counts']}", file=sys.stderr
    )
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=sorted(DATABASES), default="national")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--describe", action="store_true")
    args = parser.parse_args()
    url = DATABASES[args.dataset]
    create_database(url)
    setup_django(url)
    if args.describe:
        print(json.dumps(describe()))
        return
    print(json.dumps(ensure(args.dataset, reseed=args.reseed)))


if __name__ == "__main__":
    main()
