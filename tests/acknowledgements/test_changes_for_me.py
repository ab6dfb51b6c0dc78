"""What a new version changed for me, on the dashboard and by e-mail, confirmed once."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.urls import reverse

from acknowledgements.models import Acknowledgement, Notice
from acknowledgements.tasks import announce_due_task
from audit.models import AuditEvent
from tests.factories import make_member, make_user, sign_in
from tests.translations import tr

from .helpers import FIRST_DAY, dashboard, two_versions, url

pytestmark = pytest.mark.django_db

# 08:00 in Stockholm on each day.
BEFORE = datetime.datetime(2026, 12, 31, 7, tzinfo=datetime.UTC)
ON_THE_DAY = datetime.datetime(2027, 1, 1, 7, tzinfo=datetime.UTC)
# 00:30 on the first day in Stockholm, still the day before in UTC.
JUST_AFTER_MIDNIGHT = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)


MANAGERS_GUIDELINE = "Som chef visar du vägen"


@pytest.fixture
def bases(org):
    return two_versions(org)


@pytest.fixture
def reader(org, unit, bases):
    return make_member(
        org, "staff", unit=unit, name="Sara Staff", audiences=[bases.clients]
    )


def heading(number: int, base: str) -> str:
    return tr("sv", "What changed for you in version %(number)s of %(base)s") % {
        "number": number,
        "base": base,
    }


def test_the_dashboard_shows_my_changes_from_the_first_day(client, reader, bases):
    title = heading(2, bases.base.name)
    with time_machine.travel(BEFORE):
        sign_in(client, reader)
        page = dashboard(client, reader)
    assert title not in page
    with time_machine.travel(JUST_AFTER_MIDNIGHT):
        sign_in(client, reader)
        page = dashboard(client, reader)
    assert title in page
    # The value changed for everyone, the guideline of the reader's audience,
    # word by word; another audience's guideline is not theirs.
    assert "delar bara det som behövs" in page
    assert "värme," in page and "<ins>" in page
    assert MANAGERS_GUIDELINE not in page
    assert (
        tr("sv", "I have read the changes in version %(number)s") % {"number": 2}
        in page
    )


def test_the_changes_page_shows_a_managers_own_guidelines(client, org, unit, bases):
    manager = make_member(org, "manager", unit=unit, audiences=[bases.managers])
    with time_machine.travel(ON_THE_DAY):
        sign_in(client, manager)
        page = client.get(url("changes", bases.second)).content.decode()
    assert MANAGERS_GUIDELINE in page
    assert "värme," not in page


def test_confirming_is_recorded_once_with_its_time(client, reader, bases):
    with time_machine.travel(ON_THE_DAY, tick=False):
        sign_in(client, reader)
        response = client.post(url("acknowledge", bases.second), {"from": "dashboard"})
    assert response.status_code == 302
    assert response.url.endswith(f"/o/{reader.organisation.slug}/")
    found = Acknowledgement.objects.get()
    assert (found.version, found.membership) == (bases.second, reader)
    assert found.acknowledged == ON_THE_DAY
    later = ON_THE_DAY + datetime.timedelta(hours=3)
    with time_machine.travel(later):
        sign_in(client, reader)
        again = client.post(url("acknowledge", bases.second))
        page = client.get(again.url).content.decode()
    assert again.status_code == 302
    assert Acknowledgement.objects.get().acknowledged == ON_THE_DAY
    assert AuditEvent.objects.filter(action="acknowledge").count() == 1
    event = AuditEvent.objects.get(action="acknowledge")
    assert event.membership == reader and event.object_kind == "acknowledgement"
    # The form gives way to the day it was confirmed.
    assert (
        tr("sv", "I have read the changes in version %(number)s") % {"number": 2}
        not in page
    )
    assert "1 januari 2027" in page


def test_nothing_can_be_confirmed_before_the_day_or_in_a_draft(client, reader, bases):
    with time_machine.travel(BEFORE):
        sign_in(client, reader)
        assert client.post(url("acknowledge", bases.second)).status_code == 404
        assert client.post(url("acknowledge", bases.first)).status_code == 404
        assert client.get(url("acknowledge", bases.second)).status_code == 405
    assert not Acknowledgement.objects.exists()


def test_a_version_that_asks_nothing_has_no_confirmation(client, org, unit):
    bases = two_versions(org, asks=False)
    member = make_member(org, "staff", unit=unit, audiences=[bases.clients])
    with time_machine.travel(ON_THE_DAY):
        sign_in(client, member)
        page = dashboard(client, member)
        assert client.post(url("acknowledge", bases.second)).status_code == 404
    assert heading(2, bases.base.name) in page
    assert (
        tr("sv", "I have read the changes in version %(number)s") % {"number": 2}
        not in page
    )


def test_another_organisations_member_can_neither_confirm_nor_read(
    client, bases, outsider
):
    with time_machine.travel(ON_THE_DAY):
        sign_in(client, outsider)
        assert client.post(url("acknowledge", bases.second)).status_code == 404
        assert client.get(url("changes", bases.second)).status_code == 404
    assert not Acknowledgement.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, bases):
    with time_machine.travel(ON_THE_DAY):
        response = client.post(url("acknowledge", bases.second))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Acknowledgement.objects.exists()


def test_each_member_gets_one_mail_in_their_language(org, unit, reader, bases):
    dane = make_member(
        org,
        "staff",
        unit=unit,
        user=make_user("dane@norrby.example", language="da"),
        audiences=[bases.clients],
    )
    with time_machine.travel(BEFORE):
        call_command("announce_versions", stdout=io.StringIO())
    assert mail.outbox == []
    with time_machine.travel(JUST_AFTER_MIDNIGHT):
        announce_due_task.enqueue()
        call_command("announce_versions", stdout=io.StringIO())
    with time_machine.travel(ON_THE_DAY + datetime.timedelta(days=2)):
        announce_due_task.enqueue()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 2 == len(by_address)
    swedish, danish = by_address[reader.user.email], by_address[dane.user.email]
    assert swedish.extra_headers["Content-Language"] == "sv"
    assert danish.extra_headers["Content-Language"] == "da"
    for message, language in ((swedish, "sv"), (danish, "da")):
        assert message.subject == tr(
            language,
            "Version %(number)s of %(base)s is in force: what changed for you",
        ) % {"number": 2, "base": bases.base.name}
        assert "{+värme,+}" in message.body
        # What changed is named in the reader's language too.
        assert f"{tr(language, 'Description')}: Vi skyddar" in message.body
        assert "delar bara det som behövs" in message.body
        assert MANAGERS_GUIDELINE not in message.body
        assert url("changes", bases.second) in message.body
    assert Notice.objects.filter(kind="announcement").count() == 2
    assert set(Notice.objects.values_list("day", flat=True)) == {FIRST_DAY}


def test_a_failed_mail_goes_with_the_next_run(org, reader, bases, monkeypatch):
    from acknowledgements import mail as mails

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    with time_machine.travel(ON_THE_DAY), monkeypatch.context() as patch:
        patch.setattr(mails, "send", broken)
        result = announce_due_task.enqueue()
    assert result.status == TaskResultStatus.FAILED
    assert mail.outbox == [] and not Notice.objects.exists()
    with time_machine.travel(ON_THE_DAY):
        announce_due_task.enqueue()
    assert [message.to for message in mail.outbox] == [[reader.user.email]]


def test_my_data_holds_my_confirmations_and_the_mails_i_got(client, reader, bases):
    with time_machine.travel(ON_THE_DAY, tick=False):
        announce_due_task.enqueue()
        sign_in(client, reader)
        client.post(url("acknowledge", bases.second))
        data = client.get(reverse("privacy:my_data")).json()
    assert data["value_base_confirmations"] == [
        {
            "value_base": bases.base.name,
            "version": 2,
            "confirmed": "2027-01-01T07:00:00+00:00",
        }
    ]
    assert [(n["version"], n["kind"]) for n in data["value_base_emails"]] == [
        (2, "announcement")
    ]


def test_the_kept_comparison_speaks_each_readers_language(client, org, unit, reader):
    dane = make_member(
        org,
        "staff",
        unit=unit,
        user=make_user("dane@norrby.example", language="da"),
        audiences=[reader.audiences.get()],
    )
    pages = {}
    with time_machine.travel(ON_THE_DAY):
        for member in (reader, dane, reader):
            sign_in(client, member)
            pages[member.user.language or "sv"] = dashboard(client, member)
    for language, page in pages.items():
        assert f"{tr(language, 'Description')}:</span>" in page
        assert "delar bara det som behövs" in page
