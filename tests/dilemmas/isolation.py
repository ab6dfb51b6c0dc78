"""URL argument factories for tests/test_tenant_isolation.py (dilemmas, reflections).

Each organisation gets one dilemma in the isolation group, on the agenda of the
isolation meeting, with an open reflection and an action; created on first use.
"""

from __future__ import annotations

from typing import Any

from dilemmas.models import Dilemma
from organisations.models import Membership, Organisation, ReflectionGroup
from reflections.models import Action, AgendaItem, Method, Reflection

from .helpers import make_dilemma, put_on_agenda


def _dilemma(org: Organisation) -> Dilemma:
    from tests.test_tenant_isolation import KWARG_FACTORIES

    group = ReflectionGroup.objects.get(uuid=KWARG_FACTORIES["group_uuid"](org))
    # Found by its title: other factories add dilemmas of their own to the group
    # (one signed off, for the practice cases), whatever order they run in.
    title = f"Isolation dilemma {org.slug}"
    existing = Dilemma.objects.filter(group=group, title=title).first()
    if existing is not None:
        return existing
    author = Membership.objects.get(uuid=KWARG_FACTORIES["member_uuid"](org))
    return make_dilemma(group, author, title=title)


def _item(org: Organisation) -> AgendaItem:
    from meetings.models import Meeting
    from tests.test_tenant_isolation import KWARG_FACTORIES

    dilemma = _dilemma(org)
    meeting = Meeting.objects.get(uuid=KWARG_FACTORIES["meeting_uuid"](org))
    return AgendaItem.objects.filter(
        dilemma=dilemma, meeting=meeting
    ).first() or put_on_agenda(meeting, dilemma)


def _reflection(org: Organisation) -> Reflection:
    from reflections.models import open_reflection

    item = _item(org)
    existing = Reflection.objects.filter(dilemma=item.dilemma).first()
    if existing is not None:
        return existing
    return open_reflection(item=item, facilitator=item.dilemma.author)


def dilemma_uuid(org: Organisation) -> Any:
    return _dilemma(org).uuid


def own_dilemma_uuid(org: Organisation) -> Any:
    """Only the author changes a dilemma: one raised by the newest administrator."""
    from organisations.models import Role

    admin = (
        Membership.objects.for_organisation(org)
        .with_role(Role.ADMIN)
        .order_by("-pk")
        .first()
    )
    if admin is None:
        return dilemma_uuid(org)
    dilemma = _dilemma(org)
    own = Dilemma.objects.filter(group=dilemma.group, author=admin).first()
    return (own or make_dilemma(dilemma.group, admin, title="Own")).uuid


def item_uuid(org: Organisation) -> Any:
    return _item(org).uuid


def reflection_uuid(org: Organisation) -> Any:
    return _reflection(org).uuid


def method_uuid(org: Organisation) -> Any:
    return Method.objects.seeded_for(org).get(key="dilemma-method").uuid


def action_uuid(org: Organisation) -> Any:
    reflection = _reflection(org)
    action = reflection.actions.first() or Action.objects.create(
        organisation=org,
        reflection=reflection,
        text="Follow up with the team",
        owner=reflection.facilitator,
    )
    return action.uuid


def _option_id(org: Organisation) -> int:
    from reflections.models import Option

    step = _reflection(org).steps.get(kind="options")
    option = step.options.first() or Option.objects.create(step=step, text="Fråga")
    return option.pk


def _step_of_kind(kind: str):
    def position(org: Organisation) -> int:
        return _reflection(org).steps.get(kind=kind).position

    return position


def factories() -> dict:
    return {
        "dilemma_uuid": dilemma_uuid,
        "dilemmas:change.dilemma_uuid": own_dilemma_uuid,
        "item_uuid": item_uuid,
        "reflection_uuid": reflection_uuid,
        "method_uuid": method_uuid,
        "action_uuid": action_uuid,
        "position": lambda org: _reflection(org).steps.first().position,
        "reflections:position_save.position": _step_of_kind("positions"),
        "reflections:item_change.position": _step_of_kind("options"),
        "reflections:item_change.item_id": _option_id,
    }
