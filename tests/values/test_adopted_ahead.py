"""A version adopted ahead: the one in force stays in force, and says so, until then.

Adopting a version that takes effect later marks the version before it as
superseded at once. Until the new one takes effect, readers of the value base in
force must still see it as adopted, with the day it ends, and not be told that
it "has been replaced by a later one" with a link back to the same page.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

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
    # The page after the adoption shows (and so uses up) its message.
    client.get(response.url)
    client.logout()
    return editor


def state(version: Version, day: datetime.date) -> str:
    """The badge a Swedish reader sees for the version on `day`."""
    with override("sv"):
        label = version.state_label_on(day)
    return f'<span class="badge badge--{version.state_on(day)}">{label}</span>'


def announcement(org, base, number: int, old: int) -> list[str]:
    """The announcement's sentence and links, as the Swedish pages show them."""
    with override("sv"):
        sentence = tr("sv", "Version %(number)s takes effect on %(date)s.") % {
            "number": number,
            "date": date_format(AHEAD, "DATE_FORMAT"),
        }
    kwargs = {"org": org.slug, "base": base.slug}
    version_url = reverse("values:version_detail", kwargs={**kwargs, "number": number})
    compare_url = reverse("values:compare", kwargs=kwargs)
    return [
        sentence,
        f'href="{version_url}"',
        f'href="{compare_url}?from={old}&amp;to={number}"',
    ]


def test_the_version_in_force_stays_in_force_until_the_next_takes_effect(
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
    assert state(first, TODAY) in page
    assert 'class="badge badge--in_force">Gäller<' in page
    assert tr("sv", "Superseded") not in page
    assert tr("sv", REPLACED) not in page
    for part in announcement(org, base, 2, 1):
        assert part in page


def test_the_list_shows_each_versions_real_state(client, org, unit, base, versions):
    first, second = versions
    editor = adopt_ahead(client, org, unit, base, second.number)
    second.refresh_from_db()
    third = second.start_next_draft(author=editor.user)
    sign_in(client, editor)
    list_url = reverse(
        "values:version_list", kwargs={"org": org.slug, "base": base.slug}
    )
    listing = client.get(list_url).content.decode()
    assert '<span class="badge badge--draft">Utkast</span>' in listing
    assert (
        '<span class="badge badge--ahead">Antagen – träder i kraft den 1 januari 2027'
        "</span>" in listing
    )
    assert '<span class="badge badge--in_force">Gäller</span>' in listing
    assert "badge--superseded" not in listing
    for part in announcement(org, base, 2, 1):
        assert part in listing
    assert third.state_on(TODAY) == Version.State.DRAFT

    with time_machine.travel(datetime.datetime(2027, 1, 2, 10, tzinfo=datetime.UTC)):
        sign_in(client, editor)
        listing = client.get(list_url).content.decode()
    assert (
        '<span class="badge badge--superseded">Ersatt den 1 januari 2027</span>'
        in listing
    )
    assert '<span class="badge badge--in_force">Gäller</span>' in listing
    assert "badge--ahead" not in listing
    assert "träder i kraft" not in listing


def test_every_page_of_the_value_base_and_the_dashboard_announce_it(
    client, org, unit, staff, base, versions
):
    first, second = versions
    adopt_ahead(client, org, unit, base, second.number)
    sign_in(client, staff)
    kwargs = {"org": org.slug, "base": base.slug}
    pages = [
        reverse("values:in_force", kwargs=kwargs),
        reverse("values:version_detail", kwargs={**kwargs, "number": 1}),
        reverse("values:version_detail", kwargs={**kwargs, "number": 2}),
        reverse("values:version_list", kwargs=kwargs),
        reverse("values:compare", kwargs=kwargs),
        reverse("values:search", kwargs=kwargs) + "?q=respekt",
        reverse(
            "values:value_detail", kwargs={**kwargs, "number": 1, "key": "dignity"}
        ),
        reverse("guidelines:for_me", kwargs=kwargs) + "?audience=all",
        reverse(
            "guidelines:detail",
            kwargs={**kwargs, "number": 1, "key": "respect-clients"},
        ),
        reverse("guidelines:history", kwargs={**kwargs, "key": "respect-clients"}),
        reverse("organisations:dashboard", kwargs={"org": org.slug}),
    ]
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        text = response.content.decode()
        for part in announcement(org, base, 2, 1):
            assert part in text, (address, part)

    # The day it takes effect, no page announces it any more.
    with time_machine.travel(datetime.datetime(2027, 1, 1, 10, tzinfo=datetime.UTC)):
        sign_in(client, staff)
        for address in pages:
            text = client.get(address).content.decode()
            assert announcement(org, base, 2, 1)[0] not in text, address


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
        first.refresh_from_db()
        assert state(first, D(2027, 1, 2)) in page
        assert "Ersatt den 1 januari 2027" in page
        assert tr("sv", REPLACED) in page
        in_force = client.get(
            reverse("values:in_force", kwargs={"org": org.slug, "base": base.slug})
        ).content.decode()
        assert '<span class="badge badge--in_force">Gäller</span>' in in_force
        assert tr("sv", REPLACED) not in in_force
        assert "Version 2" in in_force


def test_state_on_a_day(base, versions):
    first, second = versions
    adopt(second, AHEAD, adopted_on=TODAY)
    first.refresh_from_db()
    second.refresh_from_db()
    day_before = AHEAD - datetime.timedelta(days=1)
    assert first.state_on(day_before) == Version.State.IN_FORCE
    assert first.state_on(AHEAD) == Version.State.SUPERSEDED
    assert second.state_on(day_before) == Version.State.AHEAD
    assert second.state_on(AHEAD) == Version.State.IN_FORCE
    assert first.state_on(D(2023, 12, 31)) == Version.State.AHEAD
    assert first.state_today == Version.State.IN_FORCE
    day = date_format(AHEAD, "DATE_FORMAT")
    assert first.state_label_on(AHEAD) == f"Superseded on {day}"
    assert second.state_label_on(TODAY) == f"Adopted – takes effect on {day}"
    assert first.state_label_today == "In force"
    assert base.next_on(TODAY) == second
    assert base.next_on(AHEAD) is None
    coming = base.coming_on(TODAY)
    assert (coming.version, coming.replaces) == (second, first)
    # The record of what editors did stays as it was.
    assert first.status_on(day_before) == "adopted"
    assert first.status_on(AHEAD) == "superseded"


def test_the_kept_page_and_its_etag_change_at_midnight_in_the_organisations_zone(
    client, org, unit, staff, base, versions
):
    """No write happens at midnight: the day itself retires the kept page.

    The organisation is in Helsinki, an hour ahead of the server's default
    zone: its day starts at 22:00 UTC, while Stockholm's is still the old one.
    """
    first, second = versions
    org.time_zone = "Europe/Helsinki"
    org.save()
    adopt_ahead(client, org, unit, base, second.number)
    address = reverse("values:in_force", kwargs={"org": org.slug, "base": base.slug})
    before_midnight = datetime.datetime(2026, 12, 31, 21, 59, 30, tzinfo=datetime.UTC)
    after_midnight = datetime.datetime(2026, 12, 31, 22, 0, 30, tzinfo=datetime.UTC)

    with time_machine.travel(before_midnight, tick=False):
        sign_in(client, staff)
        first_page = client.get(address)
        assert first_page.status_code == 200
        kept = client.get(address)
        etag = first_page["ETag"]
        assert kept["ETag"] == etag
        assert {t.name for t in kept.templates} <= {"includes/person_menu.html"}
        assert client.get(address, headers={"if-none-match": etag}).status_code == 304
    assert "Version 1, antagen" in first_page.text
    assert announcement(org, base, 2, 1)[0] in first_page.text

    with time_machine.travel(after_midnight, tick=False):
        # Stockholm is still on the 31st; the organisation is on the 1st.
        stockholm = timezone.now().astimezone(ZoneInfo("Europe/Stockholm"))
        assert stockholm.day == 31
        fresh = client.get(address, headers={"if-none-match": etag})
        assert fresh.status_code == 200
        assert fresh["ETag"] != etag
        assert "Version 2, antagen" in fresh.text
        assert "Version 1, antagen" not in fresh.text
        assert announcement(org, base, 2, 1)[0] not in fresh.text
        assert (
            client.get(address, headers={"if-none-match": fresh["ETag"]}).status_code
            == 304
        )
