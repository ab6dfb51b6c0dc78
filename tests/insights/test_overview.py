"""Insights for managers: their unit subtree, a chosen period, aggregates only."""

from __future__ import annotations

import datetime
import re

import pytest

from dilemmas.models import ValueTension
from tests.factories import make_member, make_unit, sign_in
from tests.translations import tr

from .helpers import add_session, insights_url, make_town, raise_dilemma, table


@pytest.fixture
def town(org):
    town = make_town(org)
    children, adults = town.children_group, town.adults_group
    add_session(
        town,
        children,
        datetime.date(2024, 2, 6),
        tensions=("care-autonomy", "child-adult"),
        values=("dignity", "integrity"),
        guideline=True,
        action_due=datetime.date(2024, 3, 1),
        answers=5,
        comment="Bra samtal om brukaren.",
    )
    add_session(
        town,
        children,
        datetime.date(2024, 3, 5),
        raised_days_before=20,
        action_due=datetime.date(2024, 4, 1),
        action_done=True,
        answers=4,
        present=4,
    )
    add_session(
        town,
        adults,
        datetime.date(2024, 3, 12),
        tensions=("needs-budget",),
        values=("integrity",),
        answers=6,
        title="Vuxenärendet som inte ska synas",
    )
    raise_dilemma(town, children, datetime.date(2024, 4, 10))
    # Outside the period: counted nowhere.
    add_session(town, children, datetime.date(2023, 11, 7), answers=5)
    return town


def tension(town, key: str) -> str:
    return ValueTension.objects.get(organisation=town.org, key=key).title


def month_row(t, month: datetime.date) -> list:
    return next(row for row in t.rows if row[0] == month)


@pytest.mark.django_db
def test_a_manager_sees_their_subtree_only(client, town):
    sign_in(client, town.manager)

    response = client.get(insights_url(town.org))

    assert response.status_code == 200
    meetings = table(response, "meetings")
    assert len(meetings.rows) == 6  # January to June 2024
    assert month_row(meetings, datetime.date(2024, 2, 1))[1:] == [1, 7, 7, 100.0]
    assert month_row(meetings, datetime.date(2024, 3, 1))[1:] == [1, 5, 7, 71.4]
    dilemmas = table(response, "dilemmas")
    # Raised ten and twenty days before the sessions that discussed them.
    assert month_row(dilemmas, datetime.date(2024, 1, 1))[1:] == [1, 0, None]
    assert month_row(dilemmas, datetime.date(2024, 2, 1))[1:] == [1, 1, 10]
    assert month_row(dilemmas, datetime.date(2024, 3, 1))[1:] == [0, 1, 20]
    assert month_row(dilemmas, datetime.date(2024, 4, 1))[1:] == [1, 0, None]
    assert table(response, "tensions").rows == [
        [tension(town, "child-adult"), 2],
        [tension(town, "care-autonomy"), 2],
    ]
    version = "Värdegrund för socialförvaltningen, version 1"
    value, guideline = tr("sv", "Value"), tr("sv", "Guideline")
    assert table(response, "citations").rows == [
        ["Människors lika värde", value, 2, version],
        ["Bemötande", guideline, 1, version],
        ["Integritet", value, 1, version],
    ]
    assert table(response, "actions").rows == [["Utredning", 2, 1, 1, 1]]
    # Only the session with five answers is added up; four is too few.
    evaluations = table(response, "evaluations")
    assert [row[:3] for row in evaluations.rows] == [[datetime.date(2024, 2, 1), 1, 5]]
    # The adults' area is none of this manager's business.
    assert "Etikgruppen vuxen" not in response.text
    assert "Beroende" not in response.text
    units = [label for value, label in response.context["form"].fields["unit"].choices]
    assert [u.strip() for u in units[1:]] == ["Barn och familj", "Utredning"]


@pytest.mark.django_db
def test_the_top_manager_sees_both_areas_and_can_narrow(client, town):
    sign_in(client, town.top_manager)

    everything = client.get(insights_url(town.org))
    adults = client.get(insights_url(town.org, unit=town.adults.pk))

    assert sum(row[1] for row in table(everything, "meetings").rows) == 3
    assert sum(row[1] for row in table(adults, "meetings").rows) == 1
    assert table(adults, "tensions").rows == [[tension(town, "needs-budget"), 1]]
    assert table(adults, "actions").rows == [["Beroende", 1, 0, 1, 0]]
    assert adults.context["period"]["label"] == "Vuxen"


@pytest.mark.django_db
def test_an_administrator_sees_the_organisation_in_aggregate_only(client, town):
    admin = make_member(
        town.org, "admin", unit=town.top, email="chief.admin@norrby.example"
    )
    sign_in(client, admin)

    response = client.get(insights_url(town.org))

    assert response.status_code == 200
    assert sum(row[1] for row in table(response, "meetings").rows) == 3
    # No case text, and no way to one, on the page.
    for text in [
        "Hemtjänst mot brukarens vilja",
        "Vuxenärendet som inte ska synas",
        "En äldre man tackar nej",
        "Ska vi respektera nejet",
        "Vi enas.",
        "Ring distriktssköterskan",
        "Bra samtal om brukaren.",
    ]:
        assert text not in response.text
    assert not re.search(
        r'href="[^"]*/(reflections|dilemmas)/[0-9a-f-]{36}', response.text
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "facilitator", "editor"])
def test_roles_without_management_get_403(client, town, role):
    sign_in(
        client,
        make_member(
            town.org, role, unit=town.children, email=f"{role}.x@norrby.example"
        ),
    )

    response = client.get(insights_url(town.org))

    assert response.status_code == 403
    assert tr("sv", "You do not have access to this page") in response.text


@pytest.mark.django_db
def test_anonymous_wrong_method_and_another_organisation(client, town, outsider):
    assert client.get(insights_url(town.org)).status_code == 302
    sign_in(client, town.manager)
    assert client.post(insights_url(town.org)).status_code == 405
    sign_in(client, outsider)
    assert client.get(insights_url(town.org)).status_code == 404


@pytest.mark.django_db
def test_another_organisations_unit_is_refused(client, town, other_org):
    foreign = make_unit(other_org, "Främmande")
    sign_in(client, town.top_manager)

    response = client.get(insights_url(town.org, unit=foreign.pk))

    assert response.status_code == 400
    assert "tables" not in response.context
    assert response.context["form"].errors["unit"]


@pytest.mark.django_db
def test_a_manager_without_a_unit_is_told_so(client, org):
    sign_in(client, make_member(org, "manager"))

    response = client.get(insights_url(org))

    assert response.status_code == 200
    assert (
        tr(
            "sv",
            "You head no unit, so there are no figures to show. Your administrator "
            "can set your unit.",
        )
        in response.text
    )
    assert "tables" not in response.context


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2024-06-01", "2024-01-01", "The period must end after it starts."),
        ("2015-01-01", "2024-01-01", "Choose a period of at most five years."),
        (
            "2024-13-45",
            "2024-01-01",
            "Enter a real date: the day, the month and the year, such as 12 7 2026.",
        ),
    ],
)
def test_a_bad_period_is_shown_with_what_was_typed(client, town, start, end, message):
    sign_in(client, town.manager)

    response = client.get(insights_url(town.org, start=start, end=end))

    assert response.status_code == 400
    assert tr("sv", message) in response.text
    # A real date comes back as numbers; what is no date comes back as typed.
    year, month, day = start.split("-")
    if start != "2024-13-45":
        year, month, day = (str(int(part)) for part in (year, month, day))
    for part in (day, month, year):
        assert f'value="{part}"' in response.text
    assert "tables" not in response.context


@pytest.mark.django_db
def test_without_a_choice_the_last_twelve_months_are_shown(client, town):
    sign_in(client, town.manager)

    response = client.get(insights_url(town.org).split("?")[0])

    assert response.status_code == 200
    period = response.context["period"]
    assert (period["end"] - period["start"]).days in range(334, 366)
    assert period["start"].day == 1
    # The fixture's sessions, long ago, lie outside this default period.
    assert table(response, "meetings").rows == []
    assert tr("sv", "Nothing to show for this period.") in response.text


@pytest.mark.django_db
def test_a_session_short_of_the_minimum_says_how_far_it_is(client, town):
    sign_in(client, town.manager)

    response = client.get(insights_url(town.org))

    # February had five answers and counts; March's four fall one short.
    note = tr(
        "sv",
        "One session has too few answers to be included: it has %(answers)s of "
        "the %(minimum)s needed, so %(more)s more would include it.",
    ) % {"answers": 4, "minimum": 5, "more": 1}
    assert table(response, "evaluations").note.endswith(note)
    assert note in response.text


@pytest.mark.django_db
def test_a_unit_whose_sessions_all_fall_short_says_how_many_more_are_needed(
    client, org
):
    town = make_town(org)
    for day, answers in [(6, 2), (13, 3), (20, 4)]:
        add_session(
            town, town.adults_group, datetime.date(2024, 2, day), answers=answers
        )
    sign_in(client, town.top_manager)

    response = client.get(insights_url(town.org, unit=town.adults.pk))

    evaluations = table(response, "evaluations")
    assert evaluations.rows == []
    assert tr("sv", "No session in the period has enough answers to show.") in (
        response.text
    )
    # Nine answers in three sessions; each needs five, so six more in all.
    note = tr(
        "sv",
        "%(count)s sessions have too few answers to be included: %(answers)s "
        "between them, where each needs %(minimum)s, so %(more)s more in the "
        "right sessions would include them.",
    ) % {"count": 3, "answers": 9, "minimum": 5, "more": 6}
    assert evaluations.note.endswith(note)
    assert note in response.text
