"""Who sees which groups, meetings and cases, by each road in: membership of the
group, facilitating it, managing its unit or a unit above, or administering.

Socialförvaltningen (administration)
├── Barn och familj (area)
│   └── Utredning (unit; the group)
└── Vuxen (area)
"""

from __future__ import annotations

import datetime
import pickle

import pytest
from django.utils import timezone

from meetings.models import Meeting, invitees
from organisations.models import ReflectionGroup, Unit, member_group_ids
from tests.dilemmas.helpers import make_meeting
from tests.factories import make_group, make_member, make_org, make_unit


@pytest.fixture
def town(org):
    top = make_unit(org, "Socialförvaltningen", kind=Unit.Kind.ADMINISTRATION)
    area = make_unit(org, "Barn och familj", kind=Unit.Kind.AREA, parent=top)
    unit = make_unit(org, "Utredning", parent=area)
    other_area = make_unit(org, "Vuxen", kind=Unit.Kind.AREA, parent=top)

    def person(role, name, unit):
        return make_member(
            org, role, unit=unit, email=f"{name}@norrby.example", name=name
        )

    cast = {
        "member": person("staff", "medlem", unit),
        "facilitator": person("facilitator", "samtalsledare", unit),
        "both": person("facilitator", "bada", unit),
        "outsider": person("staff", "utanfor", unit),
        "unit_manager": person("manager", "enhetschef", unit),
        "area_manager": person("manager", "omradeschef", area),
        "top_manager": person("manager", "forvaltningschef", top),
        "other_manager": person("manager", "annan-chef", other_area),
        "admin": person("admin", "admin", top),
        "editor": person("editor", "redaktor", top),
        "gone": person("staff", "slutat", unit),
    }
    cast["gone"].is_active = False
    cast["gone"].save(update_fields=["is_active"])
    group = make_group(
        org,
        unit,
        "Etikgruppen",
        members=[cast["member"], cast["both"], cast["gone"]],
        facilitators=[cast["facilitator"], cast["both"]],
    )
    other_group = make_group(org, other_area, "Vuxengruppen")
    return cast, group, other_group


def _names(groups) -> list[str]:
    return [group.name for group in groups]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("member", ["Etikgruppen"]),
        ("facilitator", ["Etikgruppen"]),
        ("both", ["Etikgruppen"]),  # once, though by two roads
        ("outsider", []),
        ("unit_manager", ["Etikgruppen"]),
        ("area_manager", ["Etikgruppen"]),
        ("top_manager", ["Etikgruppen", "Vuxengruppen"]),
        ("other_manager", ["Vuxengruppen"]),
        ("admin", ["Etikgruppen", "Vuxengruppen"]),
        ("editor", []),
    ],
)
def test_groups_a_member_may_see(town, who, seen):
    cast, _group, _other = town
    assert _names(ReflectionGroup.objects.for_member(cast[who])) == seen


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "readable"),
    [
        ("member", ["Etikgruppen"]),
        ("facilitator", ["Etikgruppen"]),
        ("both", ["Etikgruppen"]),
        ("outsider", []),
        ("unit_manager", ["Etikgruppen"]),
        ("area_manager", ["Etikgruppen"]),
        ("top_manager", ["Etikgruppen", "Vuxengruppen"]),
        ("other_manager", ["Vuxengruppen"]),
        # Administrators and editors read no case by their role alone.
        ("admin", []),
        ("editor", []),
    ],
)
def test_groups_whose_cases_a_member_may_read(town, who, readable):
    cast, _group, _other = town
    assert _names(ReflectionGroup.objects.case_readable_by(cast[who])) == readable


@pytest.mark.django_db
def test_an_administrator_in_the_group_reads_its_cases(town):
    cast, group, _other = town
    group.members.add(cast["admin"])
    assert _names(ReflectionGroup.objects.case_readable_by(cast["admin"])) == [
        "Etikgruppen"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "count"),
    [
        ("member", 2),
        ("facilitator", 2),
        ("both", 2),  # each meeting once
        ("outsider", 0),
        # Managing a unit is no invitation to its meetings.
        ("unit_manager", 0),
        ("top_manager", 0),
        ("admin", 0),
    ],
)
def test_meetings_a_person_is_invited_to(town, who, count):
    cast, group, other_group = town
    day = timezone.localdate() + datetime.timedelta(days=7)
    make_meeting(group, day)
    make_meeting(group, day + datetime.timedelta(days=7))
    make_meeting(other_group, day)
    meetings = Meeting.objects.for_invitee(cast[who])
    assert list(meetings) == list(meetings.distinct())
    assert meetings.count() == count
    assert all(meeting.group_id == group.pk for meeting in meetings)


@pytest.mark.django_db
def test_invitees_are_the_active_members_and_facilitators_once_each(town):
    cast, group, _other = town
    cast["member"].user.is_active = False
    cast["member"].user.save(update_fields=["is_active"])
    people = invitees(group)
    assert sorted(p.user.email for p in people) == [
        "bada@norrby.example",
        "samtalsledare@norrby.example",
    ]


@pytest.mark.django_db
def test_nothing_of_another_organisation_shows_through_its_groups(town):
    """Even a membership wrongly linked to another organisation's group."""
    cast, group, _other = town
    elsewhere = make_org("vastby")
    foreign_unit = make_unit(elsewhere, "Enhet")
    foreign_group = make_group(
        elsewhere, foreign_unit, "Främmande", members=[cast["member"]]
    )
    make_meeting(foreign_group, timezone.localdate() + datetime.timedelta(days=3))
    stranger = make_member(elsewhere, "staff", unit=foreign_unit)
    group.members.add(stranger)

    assert _names(ReflectionGroup.objects.for_member(cast["member"])) == ["Etikgruppen"]
    assert _names(ReflectionGroup.objects.case_readable_by(cast["member"])) == [
        "Etikgruppen"
    ]
    assert (
        not Meeting.objects.for_invitee(cast["member"])
        .filter(group=foreign_group)
        .exists()
    )
    assert stranger not in invitees(group)
    assert _names(ReflectionGroup.objects.joined_by(cast["member"])) == ["Etikgruppen"]


@pytest.mark.django_db
def test_a_request_reads_the_members_groups_once(town, django_assert_num_queries):
    """Within one request the groups are read once, and read again after a change."""
    cast, group, other_group = town
    manager = cast["area_manager"]
    manager.headed_unit_ids()  # the unit tree, read once per object anyway
    manager.for_one_request()
    with django_assert_num_queries(1):
        member_group_ids(manager)
        member_group_ids(manager)
        member_group_ids(manager)
    assert _names(ReflectionGroup.objects.for_member(manager)) == ["Etikgruppen"]
    assert _names(ReflectionGroup.objects.joined_by(manager)) == []
    # A change within the request is seen at once.
    other_group.members.add(manager)
    assert _names(ReflectionGroup.objects.joined_by(manager)) == ["Vuxengruppen"]
    assert _names(ReflectionGroup.objects.for_member(manager)) == [
        "Etikgruppen",
        "Vuxengruppen",
    ]
    group.unit = other_group.unit
    group.save(update_fields=["unit"])
    assert _names(ReflectionGroup.objects.case_readable_by(manager)) == ["Vuxengruppen"]


@pytest.mark.django_db
def test_a_membership_outside_a_request_keeps_nothing(town):
    cast, _group, other_group = town
    outsider = cast["outsider"]
    assert member_group_ids(outsider).own == []
    # Rows changed behind the signals' back, as another process would.
    ReflectionGroup.members.through.objects.create(
        reflectiongroup=other_group, membership=outsider
    )
    assert member_group_ids(outsider).own == [other_group.pk]
    # A copy kept in the cache for later requests carries no memo.
    outsider.for_one_request()
    member_group_ids(outsider)
    assert pickle.loads(pickle.dumps(outsider)).request_memo is None
