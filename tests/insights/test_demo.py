"""`make run` shows something in every chart: the demo's six months of sessions."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from evaluations.models import Evaluation
from organisations.models import Membership, Organisation
from values.models import Version


@pytest.fixture
def demo(db):
    call_command("load_demo", "--quiet-sign-ins")
    call_command("load_demo", "--quiet-sign-ins")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "admin"])
def test_every_chart_of_every_demo_organisation_has_data(client, demo, role):
    for org in Organisation.objects.all():
        person = Membership.objects.get(organisation=org, role=role)
        client.force_login(person.user)

        response = client.get(reverse("insights:overview", kwargs={"org": org.slug}))

        assert response.status_code == 200
        for table in response.context["tables"]:
            assert table.rows, (org.slug, role, table.key)
            assert table.charts, (org.slug, role, table.key)
            for chart in table.charts:
                drawn = [b for b in chart.bars if float(b.height) > 0] + chart.markers
                assert drawn, (org.slug, role, chart.key)


@pytest.mark.django_db
def test_the_demo_draft_shows_what_the_sessions_say(client, demo):
    for org in Organisation.objects.all():
        editor = Membership.objects.get(organisation=org, role="editor")
        draft = Version.objects.get(
            value_base__organisation=org, status=Version.Status.DRAFT
        )
        client.force_login(editor.user)

        response = client.get(
            reverse(
                "values:draft_edit",
                kwargs={
                    "org": org.slug,
                    "base": draft.value_base.slug,
                    "number": draft.number,
                },
            )
        )

        feedback = response.context["feedback"]
        assert feedback.cited and feedback.never and feedback.tensions, org.slug
        assert any(line.links for line in feedback.cited), org.slug


@pytest.mark.django_db
def test_demo_evaluations_show_results_and_one_short_of_the_minimum(demo):
    for org in Organisation.objects.all():
        counts = [
            e.answer_count
            for e in Evaluation.objects.for_organisation(org).with_answer_count()
        ]
        assert sum(c >= org.evaluation_minimum for c in counts) >= 5, org.slug
        assert any(0 < c < org.evaluation_minimum for c in counts), org.slug
    # Loading the demo mails no one.
    assert mail.outbox == []
