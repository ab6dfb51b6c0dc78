from __future__ import annotations

import pytest

from dilemmas.guard import find_identifiers
from dilemmas.models import Dilemma, Voice
from organisations.models import Organisation, ReflectionGroup
from reflections.models import Action, Reflection


@pytest.mark.django_db
def test_demo_gives_every_group_dilemmas_and_signed_off_reflections(demo_in_module):
    # Loaded twice: the second load adds nothing.
    groups = ReflectionGroup.objects.count()
    # Each group: its first dilemma and six months of history (insights/demo.py);
    # two more wait for a session in each organisation's first group.
    assert (
        Dilemma.objects.count() == groups * (1 + 6) + 2 * Organisation.objects.count()
    )
    signed = Reflection.objects.on_dilemmas().signed_off()
    # And one signed-off practice session per organisation (docs/practice.md).
    practice = Reflection.objects.practice().signed_off()
    assert practice.count() == Organisation.objects.count()
    assert signed.count() == Organisation.objects.count() + groups * 6
    assert Action.objects.filter(reflection__in=signed).count() == signed.count()
    assert all(r.version_id is not None for r in signed)


@pytest.mark.django_db
def test_demo_has_cases_with_and_without_the_persons_view(demo_in_module):
    heard = Dilemma.objects.filter(
        voices__kind="person", voices__asked="in_person", voices__wishes__gt=""
    )
    assert heard.exists()
    assert Dilemma.objects.exclude(voices__kind="person").exists()
    # The demo's own words pass the identifier guard like any typed text.
    assert not [v.wishes for v in Voice.objects.all() if find_identifiers(v.wishes)]
