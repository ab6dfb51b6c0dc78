"""Insights in the organisation's words: months abbreviated as its language
does, and averages and shares rounded, never cut, on the page and in the CSV."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest

from evaluations.models import Evaluation
from tests.evaluations.helpers import scores
from tests.factories import sign_in

from .helpers import add_session, export_url, insights_url, make_town

# Six answers of 4, 4, 4, 4, 3 and 3: every domain's average is 22 / 6 = 3.67.
ANSWERS = [4, 4, 4, 4, 3, 3]


def evaluated_town(org):
    town = make_town(org)
    # The facilitator and five of the six members came: 6 of 7, 85.7 %.
    reflection = add_session(
        town, town.children_group, datetime.date(2024, 3, 5), present=5
    )
    evaluation = Evaluation.for_reflection(reflection)
    present = [town.facilitator, *town.people[:5]]
    for person, value in zip(present, ANSWERS, strict=True):
        evaluation.record_answer(person, scores=scores(value))
    evaluation.close()
    return town


def read(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def section(page: str, key: str) -> str:
    return page.split(f'<section class="insight" id="{key}"', 1)[1].split(
        "</section>", 1
    )[0]


def axis_months(page: str, key: str) -> list[str]:
    """The month labels under the first chart of an insight."""
    chart = section(page, key).split("</svg>", 1)[0]
    labels = re.findall(r'<text class="chart__label"[^>]*>([^<]*)</text>', chart)
    return [label for label in labels if not label.isdigit()]


@pytest.mark.django_db
def test_an_average_of_3_67_shows_as_3_7_on_the_page(client, org):
    town = evaluated_town(org)
    sign_in(client, town.top_manager)

    page = client.get(insights_url(org)).text

    evaluations = section(page, "evaluations")
    row = evaluations.split("mars 2024", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="number">([^<]*)</td>', row)
    assert cells == ["1", "6", "3,7", "3,7", "3,7"]
    assert "i genomsnitt 3,7" in evaluations
    assert "3,6" not in evaluations
    # Shares are rounded too: 6 of 7 present is 86 %, not 85 %.
    meetings = section(page, "meetings")
    assert "6 av 7 inbjudna närvarande (86 %)" in meetings
    assert "86 %</td>" in meetings


@pytest.mark.django_db
def test_the_csv_rounds_the_same_averages(client, org):
    town = evaluated_town(org)
    sign_in(client, town.top_manager)

    rows = read(client.get(export_url(org, "evaluations")))
    attendance = read(client.get(export_url(org, "meetings")))

    march = next(row for row in rows if row[0] == "2024-03")
    assert march == ["2024-03", "1", "6", "3,67", "3,67", "3,67"]
    assert next(row for row in attendance if row[0] == "2024-03")[-1] == "85,7"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "months"),
    [
        ("sv", ["jan.", "feb.", "mars", "apr.", "maj", "juni"]),
        ("da", ["jan.", "feb.", "mar.", "apr.", "maj", "jun."]),
        ("en", ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]),
    ],
)
def test_months_are_abbreviated_as_the_language_does(client, org, language, months):
    org.language = language
    org.save(update_fields=["language"])
    town = evaluated_town(org)
    sign_in(client, town.top_manager)

    page = client.get(insights_url(org)).text

    assert f'<html lang="{language}">' in page
    assert axis_months(page, "meetings") == months
    assert axis_months(page, "evaluations") == months


@pytest.mark.django_db
def test_the_tables_scroll_in_their_own_region_with_a_caption(client, org):
    town = evaluated_town(org)
    sign_in(client, town.top_manager)

    page = client.get(insights_url(org)).text

    for key in ("meetings", "evaluations"):
        table = section(page, key).split('<div class="insight__table">', 1)[1]
        assert f'role="region" aria-labelledby="table-{key}-caption"' in table
        assert f'<caption id="table-{key}-caption">' in table
