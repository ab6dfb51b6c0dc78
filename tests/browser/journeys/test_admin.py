"""An administrator makes a unit, invites a person, and reads the audit log.

Anders administers Älvdala. A new unit for foster care starts under Barn och
familj; he adds it to the tree and invites its first social worker, Nora. She
accepts in her own browser from the link in her e-mail and chooses a password.
Anders puts her in the area's reflection group; she reads a dilemma of the
group; Anders finds her reading in the audit log.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from audit.models import AuditEvent
from dilemmas.models import Dilemma
from organisations.models import Invitation, Membership, ReflectionGroup, Unit
from tests.browser.journeys.conftest import close_and_assert_no_errors, person
from tests.browser.journeys.steps import (
    PHONE,
    check,
    choose,
    go,
    label,
    sign_in,
    t,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NORA = "nora.lund@alvdala.example"
PASSWORD = "sju sorters blommor i juni"


def test_admin_makes_a_unit_invites_a_person_and_reads_the_audit_log(
    demo, device, live_server
):
    anders = person(demo, "admin@alvdala.example")
    group = ReflectionGroup.objects.get(name="Etikgruppen barn och familj")
    laptop = device()
    page = laptop.page

    sign_in(page, live_server.url, anders.user.email)
    check(page)

    # The new unit, under its area.
    go(page, "Units")
    check(page)
    page.get_by_role("link", name=t("Add a unit"), exact=True).first.click()
    check(page)
    page.get_by_label(label("name")).fill("Familjehem")
    page.get_by_label(label("kind")).select_option(label=t("Unit"))
    choose(page.get_by_label(label("Part of")), "Barn och familj")
    page.get_by_role("button", name=t("Add the unit")).click()
    expect(page.locator(".tree__name", has_text="Familjehem")).to_be_visible()
    check(page)
    foster = Unit.objects.get(organisation=demo, name="Familjehem")
    assert foster.parent.name == "Barn och familj"
    assert foster.kind == Unit.Kind.UNIT

    # Nora is invited: not a member until she accepts.
    go(page, "Members")
    check(page)
    page.get_by_role("link", name=t("Add a member")).click()
    check(page)
    page.get_by_label(label("E-mail address")).fill(NORA)
    page.get_by_label(label("Name")).fill("Nora Lund")
    page.get_by_label(label("Role")).select_option(label=t("Staff"))
    choose(page.get_by_label(label("Unit")), "Familjehem")
    page.get_by_label("Medarbetare i mötet med brukare och närstående").check()
    page.get_by_role("button", name=t("Add member")).click()
    expect(page.get_by_role("status")).to_contain_text(NORA)
    invited = page.get_by_role("row").filter(has_text=NORA)
    expect(invited).to_contain_text("Familjehem")
    check(page)
    assert not Membership.objects.filter(organisation=demo, user__email=NORA).exists()

    # She accepts in her own browser, on her phone, from the link in the e-mail.
    (invitation_mail,) = [m for m in mail.outbox if m.to == [NORA]]
    (link,) = re.findall(r"https?://\S+/invitations/\S+", invitation_mail.body)
    nora = device(width=PHONE, height=800)
    nora.page.goto(live_server.url + urlsplit(link).path)
    expect(nora.page.get_by_label(t("Your name"))).to_have_value("Nora Lund")
    check(nora.page)
    nora.page.get_by_label(t("Choose a password")).fill(PASSWORD)
    nora.page.get_by_label(t("The same password again")).fill(PASSWORD)
    nora.page.get_by_role("button", name=t("Accept and sign in")).click()
    expect(nora.page.get_by_role("status")).to_contain_text(demo.name)
    expect(nora.page.get_by_role("heading", level=1)).to_contain_text("Nora")
    check(nora.page)

    # Anders puts her in the area's group, now that she is a member.
    go(page, "Groups and meetings")
    page.get_by_role("link", name=group.name, exact=True).click()
    page.get_by_role("link", name=t("Change the group")).click()
    check(page)
    page.get_by_role("group", name=t("Members")).get_by_label("Nora Lund").check()
    page.get_by_role("button", name=t("Save changes")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(group.name)
    expect(page.get_by_role("main")).to_contain_text("Nora Lund")
    check(page)

    # Nora reads a dilemma of her new group.
    nora.page.reload()
    go(nora.page, "Dilemmas")
    check(nora.page)
    dilemma = (
        Dilemma.objects.filter(group=group, status=Dilemma.Status.RAISED)
        .order_by("-created")
        .first()
    )
    nora.page.get_by_role("link", name=dilemma.title).first.click()
    expect(nora.page.get_by_role("heading", level=1)).to_have_text(dilemma.title)
    check(nora.page)

    # Anders reads the audit log and finds her reading.
    go(page, "Audit log")
    check(page)
    page.get_by_label(label("Person (name or e-mail)")).fill("Nora")
    page.get_by_role("button", name=t("Filter")).click()
    rows = page.get_by_role("row").filter(has_text="Nora Lund")
    expect(rows.filter(has_text=t("Read")).first).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text(dilemma.description[:40])
    check(page)

    close_and_assert_no_errors(laptop, nora)

    invitation = Invitation.objects.get(organisation=demo, email=NORA)
    assert invitation.accepted is not None
    member = Membership.objects.get(organisation=demo, user__email=NORA)
    assert (member.role, member.unit, member.is_active) == ("staff", foster, True)
    assert list(member.audiences.values_list("name", flat=True)) == [
        "Medarbetare i mötet med brukare och närstående"
    ]
    assert member.user.name == "Nora Lund"
    assert member.user.check_password(PASSWORD)
    assert group.members.filter(pk=member.pk).exists()
    assert AuditEvent.objects.filter(
        membership=member, object_uuid=dilemma.uuid, action="read"
    ).exists()
