from __future__ import annotations

import pytest

from practice.models import Area, PracticeCase
from tests.factories import make_member


@pytest.fixture
def facilitator(org, unit):
    return make_member(org, "facilitator", unit=unit, name="Fredrik Facilitator")


@pytest.fixture
def manager(org, unit):
    return make_member(org, "manager", unit=unit, name="Maria Manager")


@pytest.fixture
def editor(org, unit):
    return make_member(org, "editor", unit=unit, name="Elsa Editor")


@pytest.fixture
def own_case(org, facilitator):
    return make_own_case(org, facilitator)


def make_own_case(org, author=None, **kwargs) -> PracticeCase:
    kwargs.setdefault("area", Area.HOUSING)
    kwargs.setdefault("title", "Nyckeln till förrådet")
    kwargs.setdefault(
        "situation", "En hyresgäst vill att boendestödet förvarar hans nyckel."
    )
    kwargs.setdefault("question", "Ska vi ta emot nyckeln eller säga nej?")
    kwargs.setdefault("tensions", "Hjälpsamhet mot gränser\nTillit mot ansvar")
    kwargs.setdefault("note", "Fråga vad nyckeln betyder för honom.")
    return PracticeCase.objects.create(organisation=org, created_by=author, **kwargs)


def builtin(key: str) -> PracticeCase:
    PracticeCase.objects.seed_builtin()
    return PracticeCase.objects.get(organisation__isnull=True, key=key)
