"""Every insights table as CSV: the organisation's language, the period and
unit in the file name, audited, and never a case text."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils.text import slugify

from audit.models import AuditEvent
from insights.figures import Insights
from lib.csvfiles import CONTENT_TYPE, lines
from tests.factories import make_member, sign_in
from tests.translations import tr

from .helpers import add_session, export_url, make_town, raise_dilemma

CASE_TEXTS = [
    "Hemtjänst mot brukarens vilja",
    "En äldre man tackar nej till hjälp med att duscha.",
    "Ska vi respektera nejet eller övertala honom?",
    "Vi enas.",
    "Ring distriktssköterskan om huden",
    "Gjort.",
    "Bra samtal om brukaren.",
]


@pytest.fixture
def town(org):
    town = make_town(org)
    add_session(
        town,
        town.children_group,
        datetime.date(2024, 2, 6),
        values=("dignity", "integrity"),
        guideline=True,
        action_due=datetime.date(2024, 3, 1),
        answers=5,
        comment="Bra samtal om brukaren.",
    )
    add_session(
        town,
        town.adults_group,
        datetime.date(2024, 3, 5),
        action_done=True,
        answers=5,
    )
    raise_dilemma(town, town.children_group, datetime.date(2024, 4, 2))
    return town


def read(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.django_db
@pytest.mark.parametrize("key", Insights.KEYS)
def test_every_table_exports_without_case_text(client, town, key):
    sign_in(client, town.top_manager)

    response = client.get(export_url(town.org, key))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read(response)
    assert len(rows) > 1
    body = response.content.decode()
    for text in CASE_TEXTS:
        assert text not in body
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert disposition.endswith('_2024-01-01_2024-06-30.csv"')


@pytest.mark.django_db
def test_the_export_matches_the_table_in_swedish(client, town):
    sign_in(client, town.top_manager)

    response = client.get(export_url(town.org, "meetings"))

    rows = read(response)
    assert rows[0] == [
        tr("sv", "Month"),
        tr("sv", "Meetings held"),
        tr("sv", "Present"),
        tr("sv", "Invited"),
        tr("sv", "Attendance (%)"),
    ]
    assert rows[1:3] == [
        ["2024-01", "0", "0", "0", ""],
        ["2024-02", "1", "7", "7", "100,0"],
    ]
    title, units = (
        tr("sv", "Sessions held and attendance"),
        tr("sv", "All the units you head"),
    )
    name = f"{slugify(title)}_{slugify(units)}_2024-01-01_2024-06-30.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


@pytest.mark.django_db
def test_the_file_name_names_the_unit_and_the_period(client, town):
    sign_in(client, town.top_manager)

    response = client.get(
        export_url(
            town.org,
            "actions",
            unit=town.adults.pk,
            start="2024-03-01",
            end="2024-03-31",
        )
    )

    assert response["Content-Disposition"].endswith('_vuxen_2024-03-01_2024-03-31.csv"')
    assert read(response)[1:] == [["Beroende", "1", "1", "0", "0"]]


@pytest.mark.django_db
def test_the_export_speaks_the_organisations_language(client, org):
    org.language = "da"
    org.save(update_fields=["language"])
    town = make_town(org)
    add_session(town, town.children_group, datetime.date(2024, 2, 6), answers=5)
    town.top_manager.user.language = "en"
    town.top_manager.user.save(update_fields=["language"])
    sign_in(client, town.top_manager)

    response = client.get(export_url(org, "evaluations"))

    header = read(response)[0]
    assert header[:3] == [tr("da", "Month"), tr("da", "Sessions"), tr("da", "Answers")]
    assert read(response)[1][3].count(",") == 1  # Danish decimals


@pytest.mark.django_db
def test_exports_are_audited(client, town):
    sign_in(client, town.top_manager)

    client.get(export_url(town.org, "citations"))

    event = AuditEvent.objects.get()
    assert (event.action, event.via, event.object_kind, event.membership) == (
        "export",
        "export",
        "insights",
        town.top_manager,
    )
    assert event.view == "insights:export"


@pytest.mark.django_db
def test_a_cell_a_spreadsheet_would_run_is_defused(client, town):
    town.addiction.name = "=HYPERLINK(1)"
    town.addiction.save()
    sign_in(client, town.top_manager)

    rows = read(client.get(export_url(town.org, "actions")))

    assert ["'=HYPERLINK(1)", "1", "1", "0", "0"] in rows


@pytest.mark.django_db
def test_unknown_tables_bad_periods_and_other_people(client, town, outsider):
    assert client.get(export_url(town.org, "meetings")).status_code == 302
    sign_in(client, town.top_manager)
    assert client.get(export_url(town.org, "secrets")).status_code == 400
    assert (
        client.get(export_url(town.org, "meetings", end="2023-01-01")).status_code
        == 400
    )
    assert client.post(export_url(town.org, "meetings")).status_code == 405
    sign_in(client, make_member(town.org, "facilitator", email="f2@norrby.example"))
    assert client.get(export_url(town.org, "meetings")).status_code == 403
    sign_in(client, outsider)
    assert client.get(export_url(town.org, "meetings")).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.django_db
def test_the_file_is_written_by_the_one_csv_writer(client, town):
    """Byte order mark, CRLF line ends and content type as every CSV download."""
    sign_in(client, town.top_manager)

    response = client.get(export_url(town.org, "meetings"))

    header, *rows = read(response)
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.content.decode("utf-8") == "".join(
        lines(header, rows, separator=";")
    )
    assert response.content.count(b"\r\n") == len(rows) + 1
