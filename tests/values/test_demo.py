from __future__ import annotations

import pytest
from django.core.management import call_command

from values.models import Version


@pytest.mark.django_db
def test_each_demo_organisation_has_history_and_a_draft():
    call_command("load_demo", "--quiet-sign-ins")
    call_command("load_demo", "--quiet-sign-ins")
    for slug in ["alvdala", "vestby", "bjorkvik"]:
        versions = Version.objects.filter(value_base__organisation__slug=slug)
        statuses = sorted(versions.values_list("status", flat=True))
        assert statuses == ["adopted", "draft", "superseded"], slug
        superseded = versions.get(status="superseded")
        adopted = versions.get(status="adopted")
        assert superseded.effective_until == adopted.effective_from
        # History is visible: the second version changed something.
        assert superseded.guidelines.count() <= adopted.guidelines.count()
