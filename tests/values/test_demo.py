from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from organisations.models import Organisation
from values.models import Version


@pytest.mark.django_db
def test_each_demo_organisation_has_history_and_a_draft(client):
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
    assert_one_organisation_publishes_its_value_base(client)


def assert_one_organisation_publishes_its_value_base(client):
    """Älvdala publishes, with an easy-read text for each value and one
    guideline marked public; the others do not."""
    assert list(
        Organisation.objects.filter(publish_values=True).values_list("slug", flat=True)
    ) == ["alvdala"]
    in_force = Version.objects.get(
        value_base__organisation__slug="alvdala", status="adopted"
    )
    assert all(value.easy_read for value in in_force.values.all())
    assert [g.key for g in in_force.guidelines.filter(public=True)] == [
        "meeting-clients"
    ]
    page = client.get(reverse("public:value_base", kwargs={"org": "alvdala"}))
    assert page.status_code == 200
    assert "Du vet mest om ditt eget liv." in page.text
    assert "Bemötande" in page.text
    assert "Tystnadsplikt och sekretess" not in page.text  # internal
    assert (
        "tillganglighet@alvdala.example"
        in client.get(reverse("public:accessibility", kwargs={"org": "alvdala"})).text
    )
    hidden = client.get(reverse("public:value_base", kwargs={"org": "vestby"}))
    assert hidden.status_code == 404
