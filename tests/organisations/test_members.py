"""Administrators list, add, change, deactivate and reactivate members."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from organisations.models import Invitation, Membership
from tests.factories import (
    PASSWORD,
    make_audience,
    make_member,
    make_org,
    make_unit,
    sign_in,
)
from tests.translations import tr, write_catalogue

User = get_user_model()


def url(name: str, org, **kwargs) -> str:
    return reverse(f"organisations:{name}", kwargs={"org": org.slug, **kwargs})


def member_url(name: str, member: Membership) -> str:
    return url(name, member.organisation, member_uuid=member.uuid)


def login_url(next_url: str) -> str:
    return f"{reverse('account_login')}?next={next_url}"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# The member list


@pytest.mark.django_db
def test_member_list_shows_active_members_of_the_organisation(
    client, admin_member, staff, outsider
):
    gone = make_member(staff.organisation, "facilitator", name="Gustav Gone")
    gone.is_active = False
    gone.save()
    sign_in(client, admin_member)

    response = client.get(url("member_list", admin_member.organisation))

    assert response.status_code == 200
    assert [m.pk for m in response.context["members"]] == [admin_member.pk, staff.pk]
    assert "Anna Admin" in response.text
    assert "Sara Staff" in response.text
    assert staff.user.email in response.text
    assert "Gustav Gone" not in response.text
    assert "Olle Outsider" not in response.text
    assert member_url("member_change", staff) in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "sara"}, ["Sara Staff"]),
        ({"q": "FACILITATOR@norrby"}, ["Fia Facilitator"]),
        ({"role": "admin"}, ["Anna Admin"]),
        ({"status": "inactive"}, ["Gustav Gone"]),
        (
            {"status": "all"},
            ["Anna Admin", "Fia Facilitator", "Gustav Gone", "Sara Staff"],
        ),
        ({"status": "all", "role": "manager"}, ["Gustav Gone"]),
        ({"q": "nobody"}, []),
    ],
)
def test_member_list_filters(client, admin_member, staff, query, expected):
    org = admin_member.organisation
    make_member(org, "facilitator", name="Fia Facilitator")
    gone = make_member(org, "manager", name="Gustav Gone")
    gone.is_active = False
    gone.save()
    sign_in(client, admin_member)

    response = client.get(url("member_list", org), query)

    assert response.status_code == 200
    assert [m.user.name for m in response.context["members"]] == expected
    for name in {"Anna Admin", "Fia Facilitator", "Gustav Gone", "Sara Staff"}:
        assert (name in response.text) == (name in expected)
    if not expected:
        assert tr("sv", "No members match the filter.") in response.text


@pytest.mark.django_db
def test_member_list_answers_htmx_with_the_table_alone(client, admin_member, staff):
    sign_in(client, admin_member)
    list_url = url("member_list", admin_member.organisation)

    page = client.get(list_url, {"q": "sara"})
    partial = client.get(list_url, {"q": "sara"}, headers={"HX-Request": "true"})

    assert page.status_code == partial.status_code == 200
    assert "<html" in page.text
    assert 'hx-get="' + list_url + '"' in page.text
    assert partial.text.lstrip().startswith('<div id="member-table"')
    assert partial.text.rstrip().endswith("</div>")
    assert "<html" not in partial.text
    assert "<form" not in partial.text
    assert "Sara Staff" in partial.text
    assert "Anna Admin" not in partial.text
    # Caches must keep the page and the fragment apart.
    for response in (page, partial):
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert "hx-request" in vary
        assert "cookie" in vary


@pytest.mark.django_db
def test_member_list_refuses_post(client, admin_member):
    sign_in(client, admin_member)
    response = client.post(url("member_list", admin_member.organisation))
    assert response.status_code == 405


@pytest.mark.django_db
def test_member_list_asks_anonymous_people_to_sign_in(client, org):
    list_url = url("member_list", org)
    response = client.get(list_url)
    assert response.status_code == 302
    assert response["Location"] == login_url(list_url)


@pytest.mark.django_db
def test_member_list_is_hidden_from_other_organisations(client, org, outsider):
    sign_in(client, outsider)
    response = client.get(url("member_list", org))
    assert response.status_code == 404


@pytest.mark.django_db
def test_member_list_is_forbidden_to_staff(client, staff):
    sign_in(client, staff)
    response = client.get(url("member_list", staff.organisation))
    assert response.status_code == 403
    assert tr("sv", "You do not have access to this page") in response.text


# Adding a member


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST, then run what the view queued for after its commit (the invitation)."""

    def post(path: str, data: dict, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data, **extra)

    return post


def added(org, email: str) -> Membership:
    return Membership.objects.select_related("user").get(
        organisation=org, user__email=email
    )


@pytest.mark.django_db
def test_add_form_offers_only_the_organisations_units(
    client, admin_member, unit, other_org
):
    foreign = make_unit(other_org, "Främmande enhet")
    sign_in(client, admin_member)

    response = client.get(url("member_add", admin_member.organisation))

    assert response.status_code == 200
    assert list(response.context["form"].fields["unit"].queryset) == [unit]
    assert 'name="email"' in response.text
    assert "Barn och familj" in response.text
    assert foreign.name not in response.text


def invitation_link(message) -> str:
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1
    return urlsplit(links[0]).path


@pytest.mark.django_db
def test_add_a_new_person_sends_an_invitation_and_makes_no_member_yet(
    client, admin_member, unit, post
):
    org = admin_member.organisation
    clients = make_audience(org)
    make_audience(org, "managers", name="Chefer")
    sign_in(client, admin_member)

    response = post(
        url("member_add", org),
        {
            "email": " Fia.Facilitator@Norrby.example ",
            "name": "Fia Facilitator",
            "role": "facilitator",
            "unit": unit.pk,
            "audiences": [clients.pk],
        },
        follow=True,
    )

    assert response.redirect_chain == [(url("member_list", org), 302)]
    # Nobody is a member, and no account exists, until the person accepts.
    assert not User.objects.filter(email="fia.facilitator@norrby.example").exists()
    assert not Membership.objects.filter(
        user__email="fia.facilitator@norrby.example"
    ).exists()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.unit) == (
        "fia.facilitator@norrby.example",
        "facilitator",
        unit,
    )
    assert list(invitation.audiences.all()) == [clients]
    assert invitation.invited_by == admin_member
    # The list shows the person as invited, with the actions on the invitation.
    assert tr("sv", "Invited, not yet members") in response.text
    assert "fia.facilitator@norrby.example" in response.text
    assert any(
        "fia.facilitator@norrby.example" in message for message in messages_of(response)
    )

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["fia.facilitator@norrby.example"]
    assert org.name in sent.subject
    assert org.name in sent.body
    assert invitation_link(sent).startswith("/invitations/")


@pytest.mark.django_db
def test_invitation_is_in_the_organisations_language(client, settings, tmp_path, post):
    write_catalogue(
        tmp_path,
        "da",
        {"You are invited to %(org)s": "Du er inviteret til %(org)s"},
    )
    settings.LOCALE_PATHS = [tmp_path]
    org = make_org("vestby", name="Vestby Kommune", language="da")
    admin = make_member(org, "admin")
    admin.user.language = "en"
    admin.user.save()
    sign_in(client, admin)

    response = post(
        url("member_add", org), {"email": "mette@vestby.example", "role": "staff"}
    )

    assert response.status_code == 302
    assert [m.subject for m in mail.outbox] == ["Du er inviteret til Vestby Kommune"]


@pytest.mark.django_db
def test_an_existing_account_is_invited_not_attached(
    client, admin_member, outsider, post
):
    org = admin_member.organisation
    users_before = User.objects.count()
    sign_in(client, admin_member)

    response = post(
        url("member_add", org),
        {"email": outsider.user.email.upper(), "name": "Another Name", "role": "staff"},
        follow=True,
    )

    assert response.status_code == 200
    assert User.objects.count() == users_before
    # The admin is told the address belongs to an account; nothing is attached.
    told = tr(
        "sv",
        "An invitation was sent to %(email)s. The address belongs to an "
        "existing account: the person becomes a member when they sign in "
        "with it and accept.",
    ) % {"email": outsider.user.email}
    assert messages_of(response) == [told]
    assert not Membership.objects.filter(organisation=org, user=outsider.user).exists()
    assert Membership.objects.filter(user=outsider.user).count() == 1
    outsider.user.refresh_from_db()
    assert outsider.user.name == "Olle Outsider"
    assert outsider.user.check_password(PASSWORD)
    assert len(mail.outbox) == 1
    assert invitation_link(mail.outbox[0]).startswith("/invitations/")


@pytest.mark.django_db
def test_adding_an_active_member_again_is_refused_and_keeps_the_input(
    client, admin_member, staff, post
):
    org = admin_member.organisation
    sign_in(client, admin_member)

    response = post(
        url("member_add", org),
        {"email": "STAFF@norrby.example", "name": "Sara Again", "role": "editor"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        tr("sv", "This person is already a member of the organisation.")
    ]
    assert tr("sv", "This person is already a member of the organisation.") in (
        response.text
    )
    assert 'value="STAFF@norrby.example"' in response.text
    assert 'value="Sara Again"' in response.text
    assert '<option value="editor" selected>' in response.text
    staff.refresh_from_db()
    assert staff.role == "staff"
    assert Membership.objects.filter(organisation=org).count() == 2
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_adding_a_deactivated_member_points_to_reactivation(
    client, admin_member, staff, post
):
    staff.is_active = False
    staff.save()
    sign_in(client, admin_member)

    response = post(
        url("member_add", staff.organisation),
        {"email": staff.user.email, "role": "facilitator"},
    )

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    staff.refresh_from_db()
    assert (staff.is_active, staff.role) == (False, "staff")
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_bad_address_gives_a_translated_error(client, admin_member, post):
    sign_in(client, admin_member)
    users_before = User.objects.count()

    response = post(
        url("member_add", admin_member.organisation),
        {"email": "not-an-address", "role": "staff"},
    )

    assert response.status_code == 200
    expected = tr("sv", "Enter a valid email address.")
    assert expected != "Enter a valid email address."
    assert response.context["form"].errors["email"] == [expected]
    assert expected in response.text
    assert '<html lang="sv">' in response.text
    assert User.objects.count() == users_before


@pytest.mark.django_db
def test_a_unit_of_another_organisation_is_refused(
    client, admin_member, other_org, post
):
    foreign = make_unit(other_org, "Främmande enhet")
    sign_in(client, admin_member)

    response = post(
        url("member_add", admin_member.organisation),
        {"email": "new@norrby.example", "role": "staff", "unit": foreign.pk},
    )

    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(email="new@norrby.example").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_add_refuses_put(client, admin_member):
    sign_in(client, admin_member)
    response = client.put(url("member_add", admin_member.organisation))
    assert response.status_code == 405


@pytest.mark.django_db
def test_add_asks_anonymous_people_to_sign_in(client, org):
    add_url = url("member_add", org)
    response = client.post(add_url, {"email": "new@norrby.example", "role": "admin"})
    assert response.status_code == 302
    assert response["Location"] == login_url(add_url)
    assert not User.objects.filter(email="new@norrby.example").exists()


@pytest.mark.django_db
def test_add_is_hidden_from_other_organisations(client, org, outsider, post):
    sign_in(client, outsider)
    response = post(
        url("member_add", org), {"email": "new@norrby.example", "role": "admin"}
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(organisation=org).exists()


@pytest.mark.django_db
def test_add_is_forbidden_to_staff(client, staff, post):
    sign_in(client, staff)
    response = post(
        url("member_add", staff.organisation),
        {"email": "new@norrby.example", "role": "admin"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="new@norrby.example").exists()
    assert mail.outbox == []


# Changing a member


@pytest.mark.django_db
def test_change_form_shows_the_member(client, admin_member, staff):
    sign_in(client, admin_member)
    response = client.get(member_url("member_change", staff))
    assert response.status_code == 200
    assert response.context["member"] == staff
    assert "Sara Staff" in response.text
    assert '<option value="staff" selected>' in response.text
    assert member_url("member_deactivate", staff) in response.text


@pytest.mark.django_db
def test_change_role_unit_and_audiences(client, admin_member, staff):
    org = staff.organisation
    area = make_unit(org, "Individ- och familjeomsorg", kind="area")
    managers = make_audience(org, "managers", name="Chefer")
    staff.audiences.set([make_audience(org)])
    sign_in(client, admin_member)

    response = client.post(
        member_url("member_change", staff),
        {"role": "manager", "unit": area.pk, "audiences": [managers.pk]},
        follow=True,
    )

    assert response.redirect_chain == [(url("member_list", org), 302)]
    assert any("Sara Staff" in message for message in messages_of(response))
    staff.refresh_from_db()
    assert (staff.role, staff.unit) == ("manager", area)
    assert list(staff.audiences.all()) == [managers]


@pytest.mark.django_db
def test_the_last_admin_cannot_be_demoted(client, admin_member):
    sign_in(client, admin_member)

    response = client.post(member_url("member_change", admin_member), {"role": "staff"})

    assert response.status_code == 200
    message = tr("sv", "The organisation needs at least one administrator.")
    assert response.context["form"].errors["role"] == [message]
    assert message in response.text
    admin_member.refresh_from_db()
    assert admin_member.role == "admin"


@pytest.mark.django_db
def test_an_admin_can_be_demoted_while_another_remains(client, admin_member):
    second = make_member(admin_member.organisation, "admin", email="b@norrby.example")
    sign_in(client, admin_member)

    response = client.post(member_url("member_change", second), {"role": "editor"})

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.role == "editor"


@pytest.mark.django_db
def test_change_refuses_delete(client, admin_member, staff):
    sign_in(client, admin_member)
    response = client.delete(member_url("member_change", staff))
    assert response.status_code == 405
    assert Membership.objects.filter(pk=staff.pk).exists()


@pytest.mark.django_db
def test_change_asks_anonymous_people_to_sign_in(client, staff):
    change_url = member_url("member_change", staff)
    response = client.post(change_url, {"role": "admin"})
    assert response.status_code == 302
    assert response["Location"] == login_url(change_url)
    staff.refresh_from_db()
    assert staff.role == "staff"


@pytest.mark.django_db
def test_change_is_hidden_from_other_organisations(client, staff, outsider):
    sign_in(client, outsider)
    # Neither through the other organisation's address nor through their own.
    through_theirs = url("member_change", outsider.organisation, member_uuid=staff.uuid)
    for address in (member_url("member_change", staff), through_theirs):
        response = client.post(address, {"role": "admin"})
        assert response.status_code == 404
    staff.refresh_from_db()
    assert staff.role == "staff"


@pytest.mark.django_db
def test_change_is_forbidden_to_staff(client, staff):
    sign_in(client, staff)
    response = client.post(member_url("member_change", staff), {"role": "admin"})
    assert response.status_code == 403
    staff.refresh_from_db()
    assert staff.role == "staff"


# Deactivating and reactivating


@pytest.mark.django_db
def test_deactivate_a_member_closes_the_organisation_to_them(
    client, admin_member, staff
):
    org = staff.organisation
    sign_in(client, admin_member)

    response = client.post(member_url("member_deactivate", staff), follow=True)

    assert response.redirect_chain == [(member_url("member_change", staff), 302)]
    assert any("Sara Staff" in message for message in messages_of(response))
    staff.refresh_from_db()
    assert staff.is_active is False
    assert member_url("member_reactivate", staff) in response.text
    # What they can reach now: nothing of the organisation.
    client.logout()
    sign_in(client, staff)
    assert client.get(url("dashboard", org)).status_code == 404
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert home.context["memberships"] == []
    assert org.name not in home.text


@pytest.mark.django_db
def test_you_cannot_deactivate_yourself(client, admin_member):
    sign_in(client, admin_member)

    response = client.post(member_url("member_deactivate", admin_member), follow=True)

    assert response.status_code == 200
    assert messages_of(response) == [tr("sv", "You cannot deactivate yourself.")]
    admin_member.refresh_from_db()
    assert admin_member.is_active is True


@pytest.mark.django_db
def test_another_admin_can_be_deactivated(client, admin_member):
    second = make_member(admin_member.organisation, "admin", email="b@norrby.example")
    sign_in(client, admin_member)

    response = client.post(member_url("member_deactivate", second))

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.is_active is False
    # Now the only active administrator: the one left cannot step down either.
    refused = client.post(member_url("member_change", admin_member), {"role": "staff"})
    assert refused.status_code == 200
    admin_member.refresh_from_db()
    assert admin_member.role == "admin"


@pytest.mark.django_db
def test_reactivate_a_member(client, admin_member, staff):
    staff.is_active = False
    staff.save()
    sign_in(client, admin_member)

    response = client.post(member_url("member_reactivate", staff), follow=True)

    assert response.redirect_chain == [(member_url("member_change", staff), 302)]
    assert any("Sara Staff" in message for message in messages_of(response))
    staff.refresh_from_db()
    assert staff.is_active is True
    client.logout()
    sign_in(client, staff)
    assert client.get(url("dashboard", staff.organisation)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["member_deactivate", "member_reactivate"])
def test_status_changes_refuse_get(client, admin_member, staff, view):
    sign_in(client, admin_member)
    response = client.get(member_url(view, staff))
    assert response.status_code == 405
    staff.refresh_from_db()
    assert staff.is_active is True


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["member_deactivate", "member_reactivate"])
def test_status_changes_ask_anonymous_people_to_sign_in(client, staff, view):
    address = member_url(view, staff)
    response = client.post(address)
    assert response.status_code == 302
    assert response["Location"] == login_url(address)


@pytest.mark.django_db
def test_status_changes_are_hidden_from_other_organisations(client, staff, outsider):
    sign_in(client, outsider)
    assert client.post(member_url("member_deactivate", staff)).status_code == 404
    staff.refresh_from_db()
    assert staff.is_active is True
    staff.is_active = False
    staff.save()
    assert client.post(member_url("member_reactivate", staff)).status_code == 404
    staff.refresh_from_db()
    assert staff.is_active is False


@pytest.mark.django_db
def test_status_changes_are_forbidden_to_staff(client, staff, admin_member):
    sign_in(client, staff)
    assert client.post(member_url("member_deactivate", admin_member)).status_code == 403
    admin_member.refresh_from_db()
    assert admin_member.is_active is True
    other = make_member(staff.organisation, "editor", is_active=False)
    assert client.post(member_url("member_reactivate", other)).status_code == 403
    other.refresh_from_db()
    assert other.is_active is False
