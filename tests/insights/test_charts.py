"""Charts are SVG drawn on the server, with a text alternative and the table."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils.html import escape

from insights.charts import Series, bar_chart, column_chart, line_chart, nice_ceiling
from tests.factories import sign_in

from .helpers import add_session, insights_url, make_town


@pytest.mark.parametrize(
    ("value", "top", "step"),
    [(0, 1, 1), (1, 1, 1), (3, 3, 1), (7, 8, 2), (25, 30, 10), (140, 150, 50)],
)
def test_axes_end_on_round_numbers(value, top, step):
    assert nice_ceiling(value) == (top, step)


def test_columns_are_as_tall_as_their_values():
    chart = column_chart(
        key="k",
        title="T",
        categories=["jan", "feb", "mar"],
        series=[Series("Held", [1, 0, 2]), Series("Other", [2, 1, 0])],
        under=["2024", "", ""],
    )

    heights = [float(bar.height) for bar in chart.bars]
    assert len(heights) == 6
    # Top of the axis is 2: a bar of 1 is half the height of a bar of 2.
    assert heights[0] * 2 == pytest.approx(heights[1])
    assert heights[4] == pytest.approx(heights[0] * 2)
    assert heights[2] == 0
    assert [t.label for t in chart.ticks] == ["0", "1", "2"]
    assert {bar.series for bar in chart.bars} == {0, 1}
    assert [label.text for label in chart.labels] == ["jan", "2024", "feb", "mar"]
    # Coordinates are written for SVG, whatever the language of the page.
    assert all(re.fullmatch(r"-?\d+\.\d", bar.y) for bar in chart.bars)


def test_bars_grow_from_the_left_under_their_labels():
    chart = bar_chart(
        key="k",
        title="T",
        categories=["A long name", "B"],
        series=[Series("n", [4, 1])],
    )

    widths = [float(bar.width) for bar in chart.bars]
    assert widths[0] == pytest.approx(widths[1] * 4)
    assert [label.text for label in chart.labels] == ["A long name", "B"]
    assert float(chart.labels[0].y) < float(chart.bars[0].y)


def test_a_missing_value_breaks_the_line():
    chart = line_chart(
        key="k",
        title="T",
        categories=list("abcde"),
        series=[Series("s", [1.0, 2.0, None, 3.0, 4.0])],
        low=1,
        high=4,
        step=1,
    )

    assert len(chart.lines) == 2
    assert [len(line.points.split()) for line in chart.lines] == [2, 2]
    assert len(chart.markers) == 4
    assert [t.label for t in chart.ticks] == ["1", "2", "3", "4"]


@pytest.mark.django_db
def test_every_chart_on_the_page_is_described_and_has_its_table(client, org):
    town = make_town(org)
    add_session(
        town,
        town.children_group,
        datetime.date(2024, 2, 6),
        action_due=datetime.date(2024, 2, 20),
        answers=5,
    )
    sign_in(client, town.top_manager)

    response = client.get(insights_url(org))

    html = response.text
    svgs = re.findall(r"<svg class=\"chart__svg\"[^>]*>", html)
    # Meetings held, attendance, dilemmas, the person's voice, tensions,
    # citations, actions, evaluations.
    assert len(svgs) == 8
    for svg in svgs:
        assert 'role="img"' in svg
        label = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
        described = re.search(r'aria-describedby="([^"]+)"', svg).group(1)
        assert f'id="{label}"' in html
        assert f'id="{described}"' in html
    for table in response.context["tables"]:
        assert f'id="table-{table.key}"' in html
        assert table.summary and escape(table.summary) in html
    assert "<script" not in html.split("<main", 1)[1]
