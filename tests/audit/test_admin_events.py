"""Members, invitations, units and settings in the audit log, through their pages."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.text import capfirst

from audit.models import AuditEvent
from organisations.models import Invitation, Membership, Unit
from tests.factories import make_audience, sign_in
from tests.translations import tr

pytestmark = pytest.mark.django_db


def org_url(name: str, **kwargs) -> str:
    return reverse(f"organisations:{name}", kwargs={"org": "norrby", **kwargs})


def only(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST, then run what the view queued for after its commit (e-mails)."""

    def post(path: str, data: dict | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data or {})

    return post


# Invitations


def test_an_invitation_is_written_with_its_role_and_unit(
    client, post, admin_member, unit
):
    sign_in(client, admin_member)

    response = post(
        org_url("member_add"),
        {
            "email": "ny@norrby.example",
            "name": "Nina Ny",
            "role": "manager",
            "unit": unit.pk,
        },
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    row = only("invite")
    assert (row.user, row.membership, row.organisation_id) == (
        admin_member.user,
        admin_member,
        admin_member.organisation_id,
    )
    assert (row.object_kind, row.object_uuid) == ("invitation", invitation.uuid)
    assert row.object_name == "Nina Ny <ny@norrby.example>"
    assert row.unit_name == "Barn och familj"
    assert row.detail == (
        f"{tr('sv', 'Role')}: {tr('sv', 'Manager')}; "
        f"{tr('sv', 'Unit')}: Barn och familj; "
        f"{tr('sv', 'Guideline audiences')}: –"
    )


def test_sending_again_and_withdrawing_are_written(client, post, admin_member):
    sign_in(client, admin_member)
    post(org_url("member_add"), {"email": "ny@norrby.example", "role": "staff"})
    invitation = Invitation.objects.get()

    post(org_url("invitation_resend", invitation_uuid=invitation.uuid))
    post(org_url("invitation_withdraw", invitation_uuid=invitation.uuid))

    rows = AuditEvent.objects.filter(object_uuid=invitation.uuid).order_by("seq")
    assert [row.action for row in rows] == [
        "invite",
        "invite_resend",
        "invite_withdraw",
    ]
    assert {row.object_name for row in rows} == {"ny@norrby.example"}


def test_accepting_an_invitation_is_written_by_the_new_member(
    client, post, admin_member
):
    sign_in(client, admin_member)
    post(org_url("member_add"), {"email": "ny@norrby.example", "role": "editor"})
    client.logout()
    (link,) = re.findall(r"https?://\S+", mail.outbox[-1].body)
    password = "ett långt lösenord i flera ord"

    response = client.post(
        urlsplit(link).path,
        {"name": "Nina Ny", "password1": password, "password2": password},
    )

    assert response.status_code == 302
    member = Membership.objects.get(user__email="ny@norrby.example")
    row = only("invite_accept")
    assert (row.user, row.membership, row.role) == (member.user, member, "editor")
    assert row.person == "Nina Ny <ny@norrby.example>"
    assert row.object_uuid == Invitation.objects.get().uuid
    assert row.detail == tr("sv", "Role: %(role)s") % {"role": tr("sv", "Editor")}
    assert row.view == "invitation_accept"


# Members


def test_a_changed_role_says_from_what_to_what(client, admin_member, staff, unit):
    audience = make_audience(staff.organisation)
    sign_in(client, admin_member)

    response = client.post(
        org_url("member_change", member_uuid=staff.uuid),
        {"role": "manager", "unit": unit.pk, "audiences": [audience.pk]},
    )

    assert response.status_code == 302
    row = only("change")
    assert (row.object_kind, row.object_uuid) == ("membership", staff.uuid)
    assert row.object_name == "Sara Staff <staff@norrby.example>"
    assert row.user == admin_member.user
    assert row.detail == (
        f"{tr('sv', 'Role')}: {tr('sv', 'Staff')} → {tr('sv', 'Manager')}; "
        f"{tr('sv', 'Guideline audiences')}: + Medarbetare i mötet med brukare"
    )


def test_saving_a_member_unchanged_writes_nothing(client, admin_member, staff, unit):
    sign_in(client, admin_member)

    client.post(
        org_url("member_change", member_uuid=staff.uuid),
        {"role": "staff", "unit": unit.pk},
    )

    assert not AuditEvent.objects.exists()


def test_a_change_refused_to_staff_is_not_written_as_made(client, staff, admin_member):
    sign_in(client, staff)

    response = client.post(
        org_url("member_change", member_uuid=admin_member.uuid), {"role": "staff"}
    )

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="change").exists()
    admin_member.refresh_from_db()
    assert admin_member.role == "admin"


def test_deactivating_and_reactivating_are_written(client, admin_member, staff):
    sign_in(client, admin_member)

    client.post(org_url("member_deactivate", member_uuid=staff.uuid))
    client.post(org_url("member_reactivate", member_uuid=staff.uuid))

    rows = AuditEvent.objects.filter(object_uuid=staff.uuid).order_by("seq")
    assert [(row.action, row.outcome) for row in rows] == [
        ("deactivate", "allowed"),
        ("reactivate", "allowed"),
    ]
    staff.refresh_from_db()
    assert staff.is_active


def test_a_refused_deactivation_is_written_with_the_reason(client, admin_member):
    sign_in(client, admin_member)

    client.post(org_url("member_deactivate", member_uuid=admin_member.uuid))

    row = only("deactivate")
    assert row.outcome == "denied"
    assert row.detail == tr("sv", "You cannot deactivate yourself.")
    admin_member.refresh_from_db()
    assert admin_member.is_active


# Units


def test_adding_renaming_archiving_and_restoring_a_unit(client, admin_member, unit):
    sign_in(client, admin_member)

    client.post(
        org_url("unit_add"), {"name": "Vuxna", "kind": "area", "parent": unit.pk}
    )
    vuxna = Unit.objects.get(name="Vuxna")
    client.post(
        org_url("unit_change", unit_id=vuxna.pk),
        {"name": "Vuxenenheten", "kind": "area", "parent": unit.pk},
    )
    client.post(org_url("unit_archive", unit_id=vuxna.pk))
    client.post(org_url("unit_restore", unit_id=vuxna.pk))

    rows = list(AuditEvent.objects.filter(object_kind="unit").order_by("seq"))
    assert [row.action for row in rows] == ["create", "change", "archive", "restore"]
    # Each row names the unit as it was called then.
    assert [row.object_name for row in rows] == [
        "Vuxna",
        "Vuxenenheten",
        "Vuxenenheten",
        "Vuxenenheten",
    ]
    assert rows[0].detail == (
        f"{capfirst(tr('sv', 'kind'))}: {tr('sv', 'Area')}; "
        f"{tr('sv', 'Part of')}: Barn och familj"
    )
    assert rows[1].detail == f"{tr('sv', 'Name')}: Vuxna → Vuxenenheten"
    assert {row.unit_id for row in rows} == {vuxna.pk}


def test_an_archiving_refused_is_written_with_what_blocks_it(
    client, admin_member, unit
):
    sign_in(client, admin_member)

    client.post(org_url("unit_archive", unit_id=unit.pk))

    row = only("archive")
    assert (row.outcome, row.object_name) == ("denied", "Barn och familj")
    assert "1" in row.detail
    unit.refresh_from_db()
    assert unit.archived is None


# Settings


def test_changed_settings_say_from_what_to_what(client, admin_member, org):
    sign_in(client, admin_member)

    response = client.post(
        org_url("settings"),
        {
            "name": org.name,
            "language": "da",
            "time_zone": "Europe/Copenhagen",
            "retention_days": 400,
            "idle_minutes": 30,
            "evaluation_minimum": 5,
            "require_mfa": "",
        },
    )

    assert response.status_code == 302
    row = only("change")
    assert (row.object_kind, row.object_name) == ("organisation", org.name)
    # In the organisation's language, which is now Danish.
    assert row.detail == "; ".join(
        [
            f"{capfirst(tr('da', 'language'))}: Svenska → Dansk",
            # The zones by their Danish names, whatever language the page had.
            f"{tr('da', 'Time zone')}: Sverige – Stockholm → Danmark – København",
            f"{capfirst(tr('da', 'retention period in days'))}: 1095 → 400",
        ]
    )


# Reflection groups: who is in one decides who reads its cases.


def test_a_groups_people_added_and_removed_are_written(client, admin_member, unit):
    from tests.factories import make_group, make_member

    kim = make_member(
        admin_member.organisation,
        "staff",
        unit=unit,
        name="Kim Dahl",
        email="kim@norrby.example",
    )
    ali = make_member(
        admin_member.organisation,
        "staff",
        unit=unit,
        name="Ali Hassan",
        email="ali@norrby.example",
    )
    group = make_group(
        admin_member.organisation, unit, members=[kim], facilitators=[admin_member]
    )
    sign_in(client, admin_member)

    response = client.post(
        reverse(
            "meetings:group_change", kwargs={"org": "norrby", "group_uuid": group.uuid}
        ),
        {
            "name": "Etikgruppen",
            "unit": unit.pk,
            "facilitators": [admin_member.pk],
            "members": [ali.pk],
            "reminder_hours": 24,
        },
    )

    assert response.status_code == 302
    row = only("change")
    assert (row.object_kind, row.object_name, row.unit_name) == (
        "reflectiongroup",
        "Etikgruppen",
        "Barn och familj",
    )
    assert "+ Ali Hassan <ali@norrby.example>, − Kim Dahl <kim@norrby.example>" in (
        row.detail
    )


def test_a_superusers_change_in_the_django_admin_is_written(client, staff):
    from tests.factories import make_user, sign_in_with_two_factors

    root = make_user("root@drift.example", is_staff=True, is_superuser=True)
    sign_in_with_two_factors(client, root)

    response = client.post(
        reverse("admin:organisations_membership_change", args=[staff.pk]),
        {
            "user": staff.user.pk,
            "organisation": staff.organisation_id,
            "role": "admin",
            "unit": staff.unit_id,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    row = only("change")
    assert (row.user, row.via, row.membership) == (root, "admin", None)
    assert (row.organisation_id, row.object_name) == (
        staff.organisation_id,
        "Sara Staff <staff@norrby.example>",
    )
    assert row.detail == (
        f"{tr('sv', 'Role')}: {tr('sv', 'Staff')} → {tr('sv', 'Administrator')}"
    )


def test_an_account_added_in_the_django_admin_is_written_without_its_password(
    client, org
):
    from tests.factories import make_user, sign_in_with_two_factors

    root = make_user("root@drift.example", is_staff=True, is_superuser=True)
    sign_in_with_two_factors(client, root)
    password = "ett hemligt lösenord för nya kontot"

    response = client.post(
        reverse("admin:accounts_user_add"),
        {"email": "ny@drift.example", "password1": password, "password2": password},
    )

    assert response.status_code == 302
    row = only("create")
    assert (row.object_kind, row.object_name, row.organisation_id) == (
        "account",
        "ny@drift.example",
        None,
    )
    assert not any(
        "hemligt" in str(value)
        for value in AuditEvent.objects.values().get(action="create").values()
    )
