"""The insights page costs the same number of queries whatever the data."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import sign_in

from .helpers import add_session, export_url, insights_url, make_town, raise_dilemma


def queries_for(client, url: str) -> int:
    # The person's memberships are kept after their first page: count a later one.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_the_page_does_not_query_more_for_more_data(client, org):
    town = make_town(org)
    add_session(town, town.children_group, datetime.date(2024, 2, 6), answers=5)
    sign_in(client, town.top_manager)
    small = queries_for(client, insights_url(org))

    for month in range(1, 7):
        for group in (town.children_group, town.adults_group):
            add_session(
                town,
                group,
                datetime.date(2024, month, 10 + month),
                tensions=("care-autonomy", "needs-budget", "child-adult"),
                values=("dignity", "integrity"),
                guideline=True,
                action_due=datetime.date(2024, month, 28),
                action_done=month % 2 == 0,
                answers=6 if month % 3 else 2,
            )
            raise_dilemma(town, group, datetime.date(2024, month, 2))
    large = queries_for(client, insights_url(org))

    assert large == small
    response = client.get(insights_url(org))
    assert sum(row[1] for row in response.context["tables"][0].rows) == 13


@pytest.mark.django_db
def test_an_export_does_not_query_more_for_more_data(client, org):
    town = make_town(org)
    add_session(town, town.children_group, datetime.date(2024, 2, 6), answers=5)
    sign_in(client, town.top_manager)
    small = queries_for(client, export_url(org, "evaluations"))

    for month in range(1, 7):
        add_session(town, town.adults_group, datetime.date(2024, month, 9), answers=5)
    large = queries_for(client, export_url(org, "evaluations"))

    assert large == small
