"""URL argument factories for tests/test_tenant_isolation.py (practice cases).

Each organisation gets one case of its own, created on first use: a built-in case
is shared by every organisation and would have nothing of another to cross.
"""

from __future__ import annotations

from typing import Any

from organisations.models import Organisation
from practice.models import Area, PracticeCase


def case_uuid(org: Organisation) -> Any:
    case = PracticeCase.objects.own(org).first() or PracticeCase.objects.create(
        organisation=org,
        area=Area.HOUSING,
        title=f"Övningsfall {org.slug}",
        situation="En hyresgäst ber boendestödet förvara hans reservnyckel.",
        question="Ska vi ta emot nyckeln eller säga nej?",
        tensions="Hjälpsamhet mot gränser",
        note="Fråga vad nyckeln betyder för honom.",
    )
    return case.uuid


def factories() -> dict[str, Any]:
    return {"case_uuid": case_uuid}
