"""A version adopted ahead: the one in force stays in force, and says so, until then.

Adopting a version that takes effect later marks the version before it as
superseded at once. Until the new one takes effect, readers of the value base in
force must still see it as adopted, with the day it ends, and not be told that
it "has been replaced by a later one" with a link back to the same page.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from tests.factories import make_member, sign_in
from tests.translations import tr
from values.models import Version

from .helpers import adopt, fill, make_base, make_draft

D = datetime.date
TODAY = D(2026, 12, 7)
AHEAD = D(2027, 1, 1)
REPLACED = "This version has been replaced by a later one."


def badge(status: str, label: str) -> str:
    return f'<span class="badge badge--{status}">{tr("sv", label)}</span>'


@pytest.fixture
def base(org):
    return make_base(org)


@pytest.fixture
def versions(base, admin_member):
    first = make_draft(base, 1)
    fill(first)
    adopt(first, D(2024, 1, 1))
    second = first.start_next_draft(author=admin_member.user)
    return first, second


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 10, tzinfo=datetime.UTC)):
        yield


def adopt_ahead(client, org, unit, base, number: int):
    editor = sign_in(client, make_member(org, "editor", unit=unit))
    response = client.post(
        reverse(
            "values:adopt",
            kwargs={"org": org.slug, "base": base.slug, "number": number},
        ),
        {
            "adopted_on_0": TODAY.day,
            "adopted_on_1": TODAY.month,
            "adopted_on_2": TODAY.year,
            "adopted_by": "Socialnämnden",
            "effective_from_0": AHEAD.day,
            "effective_from_1": AHEAD.month,
            "effective_from_2": AHEAD.year,
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    client.logout()
    return editor


def test_the_version_in_force_reads_as_adopted_until_the_next_takes_effect(
    client, org, unit, staff, base, versions
):
    first, second = versions
    adopt_ahead(client, org, unit, base, second.number)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Version.Status.SUPERSEDED
    assert (first.effective_until, second.status) == (AHEAD, Version.Status.ADOPTED)

    sign_in(client, staff)
    page = client.get(
        reverse("values:in_force", kwargs={"org": org.slug, "base": base.slug})
    ).content.decode()
    with override("sv"):
        until = tr("sv", "In force from %(start)s until %(end)s.") % {
            "start": date_format(D(2024, 1, 1), "DATE_FORMAT"),
            "end": date_format(AHEAD, "DATE_FORMAT"),
        }
    assert until in page
    assert badge("adopted", "Adopted") in page
    assert tr("sv", "Superseded") not in page
    assert tr("sv", REPLACED) not in page

    # The list of versions: the first in force today, the second later.
    listing = client.get(
        reverse("values:version_list", kwargs={"org": org.slug, "base": base.slug})
    ).content.decode()
    assert listing.count(badge("adopted", "Adopted")) == 2
    assert tr("sv", "Superseded") not in listing
    assert tr("sv", "in force today") in listing
    assert tr("sv", "comes into force later") in listing


def test_once_the_next_version_takes_effect_the_first_reads_as_replaced(
    client, org, unit, staff, base, versions
):
    first, second = versions
    adopt_ahead(client, org, unit, base, second.number)
    with time_machine.travel(datetime.datetime(2027, 1, 2, 10, tzinfo=datetime.UTC)):
        assert timezone.localdate() == D(2027, 1, 2)
        sign_in(client, staff)
        page = client.get(
            reverse(
                "values:version_detail",
                kwargs={"org": org.slug, "base": base.slug, "number": first.number},
            )
        ).content.decode()
        assert badge("superseded", "Superseded") in page
        assert tr("sv", REPLACED) in page
        in_force = client.get(
            reverse("values:in_force", kwargs={"org": org.slug, "base": base.slug})
        ).content.decode()
        assert badge("adopted", "Adopted") in in_force
        assert tr("sv", REPLACED) not in in_force
        assert "Version 2" in in_force


def test_status_on_a_day(base, versions):
    first, second = versions
    adopt(second, AHEAD, adopted_on=TODAY)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status_on(AHEAD - datetime.timedelta(days=1)) == "adopted"
    assert first.status_on(AHEAD) == "superseded"
    assert second.status_on(TODAY) == "adopted"
    assert first.status_today == "adopted"
    assert first.get_status_today_display() == "Adopted"
    assert not first.is_replaced
