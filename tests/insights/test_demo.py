"""`make run` shows something in every chart: the demo's six months of sessions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations.models import Answer, Evaluation, SealedAnswer
from organisations.models import Membership, Organisation
from values.models import Version


@pytest.fixture
def demo(demo_in_module, db):
    """The demo loaded twice, once for the module (tests/demo.py)."""
    return demo_in_module


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
def test_demo_evaluations_closed_with_results_open_and_too_few(demo):
    for org in Organisation.objects.all():
        evaluations = Evaluation.objects.for_organisation(org)
        minimum = org.evaluation_minimum
        assert evaluations.reportable(minimum).count() >= 4, org.slug
        # Released as in production: no sealed answer left of a closed one.
        assert not SealedAnswer.objects.filter(
            evaluation__in=evaluations.closed()
        ).exists()
        assert evaluations.filter(state=Evaluation.State.TOO_FEW).exists(), org.slug
        # The latest sessions are still open, one of them short of the minimum.
        open_counts = [
            e.respondent_count for e in evaluations.still_open().with_respondent_count()
        ]
        assert open_counts and any(c < minimum for c in open_counts), org.slug
        assert not Answer.objects.filter(
            evaluation__in=evaluations.still_open()
        ).exists()
    # Loading the demo mails no one.
    assert demo.mails == []
