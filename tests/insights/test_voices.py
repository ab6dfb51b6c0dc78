"""The share of reflections with the person's own view, and with the person or
a representative present, on the insights page and in its CSV export."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from dilemmas.models import Voice
from reflections.retention import erase
from tests.factories import sign_in
from tests.translations import tr

from .helpers import add_session, export_url, insights_url, make_town, table

pytestmark = pytest.mark.django_db

FEB, MAR = datetime.date(2024, 2, 1), datetime.date(2024, 3, 1)


def _voice(reflection, asked: str) -> None:
    Voice.objects.create(
        dilemma=reflection.dilemma,
        kind=Voice.Kind.PERSON,
        asked=asked,
        wishes="Jag vill bestämma själv." if asked in Voice.HEARD else "",
    )


@pytest.fixture
def town(org):
    town = make_town(org)
    children = town.children_group
    heard = add_session(
        town, children, datetime.date(2024, 2, 6), person_present="both"
    )
    _voice(heard, "in_person")
    through = add_session(
        town, children, datetime.date(2024, 2, 13), person_present="neither"
    )
    _voice(through, "through_representative")
    # Neither voice nor presence recorded; a network voice is not the person's.
    silent = add_session(town, children, datetime.date(2024, 2, 20))
    Voice.objects.create(
        dilemma=silent.dilemma, kind="network", asked="in_person", wishes="Oroliga."
    )
    adults = add_session(
        town,
        town.adults_group,
        datetime.date(2024, 3, 5),
        person_present="representative",
    )
    _voice(adults, "not_asked")
    town.heard = heard
    return town


def rows_of(client, url: str) -> dict[datetime.date, list]:
    response = client.get(url)
    assert response.status_code == 200
    return {row[0]: row for row in table(response, "voices").rows}


def test_the_shares_per_month_for_every_unit(client, town):
    sign_in(client, town.top_manager)
    response = client.get(insights_url(town.org))
    voices = table(response, "voices")
    rows = {row[0]: row for row in voices.rows}
    assert rows[FEB] == [FEB, 3, 2, 66.7, 1, 33.3]
    assert rows[MAR] == [MAR, 1, 0, 0.0, 1, 100.0]
    assert rows[datetime.date(2024, 1, 1)][1:] == [0, 0, None, 0, None]
    # The summary says it in words, next to the other figures.
    summary = tr(
        "sv",
        "Of %(total)s reflections signed off, %(heard)s had the person's own view "
        "recorded (%(heard_share)s %%) and %(present)s were held with the person "
        "or a representative present (%(present_share)s %%).",
    ) % {"total": 4, "heard": 2, "heard_share": 50, "present": 2, "present_share": 50}
    assert voices.summary == summary
    assert tr("sv", "The person's own voice") in response.text.replace("&#x27;", "'")
    assert voices.charts and voices.charts[0].key == "voices"


def test_a_manager_sees_the_shares_of_their_own_units(client, town):
    sign_in(client, town.manager)
    rows = rows_of(client, insights_url(town.org))
    assert rows[FEB] == [FEB, 3, 2, 66.7, 1, 33.3]
    assert rows[MAR][1:] == [0, 0, None, 0, None]


def test_one_unit_and_the_retention_rule(client, town):
    sign_in(client, town.top_manager)
    rows = rows_of(client, insights_url(town.org, unit=town.adults.pk))
    assert rows[FEB][1:] == [0, 0, None, 0, None]
    assert rows[MAR] == [MAR, 1, 0, 0.0, 1, 100.0]
    # The words are erased; that the person was asked still counts.
    erase(town.heard.dilemma, now=timezone.now())
    rows = rows_of(client, insights_url(town.org))
    assert rows[FEB] == [FEB, 3, 2, 66.7, 1, 33.3]


def test_the_csv_has_the_same_columns_and_figures(client, town):
    sign_in(client, town.top_manager)
    response = client.get(export_url(town.org, "voices"))
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == [
        tr("sv", "Month"),
        tr("sv", "Reflections signed off"),
        tr("sv", "With the person's own view recorded"),
        tr("sv", "Share with the person's view (%)"),
        tr("sv", "With the person or a representative present"),
        tr("sv", "Share with the person or a representative present (%)"),
    ]
    assert rows[1:4] == [
        ["2024-01", "0", "0", "", "0", ""],
        ["2024-02", "3", "2", "66,7", "1", "33,3"],
        ["2024-03", "1", "0", "0,0", "1", "100,0"],
    ]
    # Counts only: the person's words never leave the case.
    assert "Jag vill bestämma själv." not in text
