from __future__ import annotations

import pytest
from django.core.management import call_command

from dilemmas.models import Dilemma
from organisations.models import Organisation, ReflectionGroup
from reflections.models import Action, Reflection


@pytest.mark.django_db
def test_demo_gives_every_group_a_dilemma_and_each_organisation_one_reflection():
    call_command("load_demo", "--quiet-sign-ins")
    call_command("load_demo", "--quiet-sign-ins")

    assert Dilemma.objects.count() == ReflectionGroup.objects.count()
    signed = Reflection.objects.signed_off()
    assert signed.count() == Organisation.objects.count()
    assert Action.objects.filter(reflection__in=signed).count() == signed.count()
    assert all(r.version_id is not None for r in signed)
