"""The easy-read summary the person can keep: written after sign-off by whoever
leads the group, behind the identifier guard, with its readability, printed on
one page and audited, and erased with the rest of the case."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from dilemmas.models import GuardOverride
from reflections.models import EasyRead, sign_off
from reflections.retention import apply_retention
from tests.factories import make_member, sign_in
from tests.translations import tr

pytestmark = pytest.mark.django_db

# 15 words in 3 sentences, 2 of them longer than six letters (pratade,
# lyssnar): LIX = 15 / 3 + 100 * 2 / 15 = 18.3, very easy.
EASY = "Vi pratade om din hjälp hemma. Du vill klara dig själv. Vi lyssnar på dig."
# One long sentence of long words: far above the easy-read limit.
HARD = (
    "Arbetsgruppen konstaterade gemensamt att handläggningsprocessen beträffande "
    "biståndsbedömningen behöver kompletterande utredningsinsatser."
)


def url(name: str, reflection) -> str:
    return reverse(
        f"reflections:{name}",
        kwargs={
            "org": reflection.organisation.slug,
            "reflection_uuid": reflection.uuid,
        },
    )


@pytest.fixture
def signed(held_reflection, facilitator):
    return sign_off(
        reflection=held_reflection, by=facilitator, conclusion="Vi väljer A."
    )


def test_facilitator_writes_and_saves_the_summary(client, facilitator, signed):
    sign_in(client, facilitator)
    detail = client.get(url("detail", signed))
    assert url("easy_read", signed) in detail.text

    response = client.post(
        url("easy_read", signed),
        {
            "talked_about": EASY,
            "will_do": "Vi ringer dig på fredag.",
            "contact": "Din handläggare",
        },
    )
    assert response.status_code == 302
    summary = EasyRead.objects.get(reflection=signed)
    assert (summary.talked_about, summary.will_do, summary.contact) == (
        EASY,
        "Vi ringer dig på fredag.",
        "Din handläggare",
    )
    assert summary.written_by == facilitator
    page = client.get(url("easy_read", signed))
    assert EASY in page.text
    assert tr("sv", "The easy-read summary was saved.") in page.text
    assert url("easy_read_print", signed) in page.text
    assert AuditEvent.objects.filter(
        object_uuid=signed.uuid, action="change", membership=facilitator
    ).exists()


def test_the_guard_stops_an_identifier_and_keeps_the_text(client, facilitator, signed):
    sign_in(client, facilitator)
    typed = "Vi pratade om Anna, 19121212-1212, och hennes hjälp."
    response = client.post(url("easy_read", signed), {"talked_about": typed})
    assert response.status_code == 422
    assert typed in response.text
    assert 'href="#id_talked_about"' in response.text  # the error summary links
    assert not EasyRead.objects.filter(reflection=signed).exists()

    # With a reason it is saved, and the reason (never the number) is recorded.
    client.post(
        url("easy_read", signed),
        {"talked_about": typed, "save_anyway_reason": "Personen vill ha det så"},
    )
    assert EasyRead.objects.get(reflection=signed).talked_about == typed
    override = GuardOverride.objects.get(object_uuid=signed.uuid)
    assert "19121212" not in override.reason


def test_checking_shows_a_known_lix_and_saves_nothing(client, facilitator, signed):
    sign_in(client, facilitator)
    response = client.post(
        url("easy_read", signed), {"talked_about": EASY, "check": "readability"}
    )
    assert response.status_code == 200
    assert f"18: {tr('sv', 'very easy')}" in response.text
    assert "5,0" in response.text  # words per sentence, in Swedish
    assert "readability__hint" not in response.text
    assert EASY in response.text
    assert not EasyRead.objects.filter(reflection=signed).exists()

    hard = client.post(
        url("easy_read", signed), {"talked_about": HARD, "check": "readability"}
    )
    assert "readability__hint" in hard.text
    assert HARD in hard.text


def test_before_sign_off_it_says_so_and_saves_nothing(
    client, facilitator, held_reflection
):
    sign_in(client, facilitator)
    page = client.get(url("easy_read", held_reflection))
    assert page.status_code == 200
    message = tr(
        "sv",
        "The easy-read summary is written after sign-off, once the group has "
        "agreed what to do. Sign off the reflection first.",
    )
    assert message in page.text
    assert 'name="talked_about"' not in page.text
    response = client.post(url("easy_read", held_reflection), {"talked_about": EASY})
    assert response.status_code == 302
    assert not EasyRead.objects.exists()


def test_participants_and_other_organisations_are_refused(
    client, member, outsider, signed
):
    sign_in(client, member)
    assert client.get(url("easy_read", signed)).status_code == 403
    assert client.get(url("easy_read_print", signed)).status_code == 403
    assert (
        client.post(url("easy_read", signed), {"talked_about": EASY}).status_code == 403
    )
    assert not EasyRead.objects.exists()
    sign_in(client, outsider)
    assert client.get(url("easy_read", signed)).status_code == 404
    assert client.get(url("easy_read_print", signed)).status_code == 404


def test_a_facilitator_of_another_group_is_refused(client, org, unit, signed):
    # A facilitator who is only a participant of this group: not leading it.
    other = make_member(org, "facilitator", unit=unit, email="f2@norrby.example")
    signed.dilemma.group.members.add(other)
    sign_in(client, other)
    assert client.get(url("easy_read", signed)).status_code == 403


def test_print_page_shows_the_sheet_and_is_audited(
    client, org, facilitator, manager, signed
):
    org.public_contact = "socialtjansten@norrby.example"
    org.save()
    EasyRead.objects.create(
        reflection=signed,
        talked_about=EASY,
        will_do="Vi ringer dig på fredag.",
        contact="Din handläggare Eva",
        written_by=facilitator,
    )
    sign_in(client, manager)  # the manager of the unit reads and prints too
    page = client.get(url("easy_read_print", signed))
    assert page.status_code == 200
    for text in (
        org.name,
        EASY,
        "Vi ringer dig på fredag.",
        "Din handläggare Eva",
        "socialtjansten@norrby.example",
        tr("sv", "What we will do"),
        tr("sv", "Who you can talk to"),
    ):
        assert text in page.text
    # No colleague's position and no conclusion of the record.
    assert "Vi väljer A." not in page.text
    printed = AuditEvent.objects.get(action="print", object_uuid=signed.uuid)
    assert printed.membership == manager
    assert printed.detail == tr("sv", "Easy-read summary for the person")


def test_print_without_a_summary_says_so_and_records_no_print(
    client, facilitator, signed
):
    sign_in(client, facilitator)
    page = client.get(url("easy_read_print", signed))
    assert (
        tr("sv", "No easy-read summary has been written for this reflection yet.")
        in page.text
    )
    assert not AuditEvent.objects.filter(action="print").exists()


def test_the_retention_rule_erases_the_summary(client, org, facilitator, signed):
    EasyRead.objects.create(
        reflection=signed,
        talked_about=EASY,
        will_do="Vi ringer dig.",
        contact="Eva",
        written_by=facilitator,
    )
    org.retention_days = 30
    org.save()
    apply_retention(now=timezone.now() + datetime.timedelta(days=60))
    summary = EasyRead.objects.get(reflection=signed)
    assert (summary.talked_about, summary.will_do, summary.contact) == ("", "", "")
    sign_in(client, facilitator)
    page = client.get(url("easy_read_print", signed))
    assert EASY not in page.text
    assert (
        tr(
            "sv",
            "The texts of this case were erased under the retention rule, the "
            "easy-read summary with them.",
        )
        in page.text
    )
    assert (
        client.post(url("easy_read", signed), {"talked_about": EASY}).status_code == 302
    )
    assert EasyRead.objects.get(reflection=signed).talked_about == ""
