"""Headers, sessions, passwords and uploads, through the HTTP path."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import PASSWORD, make_member, sign_in
from tests.translations import tr

pytestmark = pytest.mark.django_db


def _plain_routes(patterns, prefix="", namespace=""):
    """Every named URL outside organisations that takes no argument."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _plain_routes(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            takes_arguments = "<" in route or "(?P" in route
            if not takes_arguments and not route.startswith("o/"):
                yield f"{namespace}{entry.name}"


PLAIN = sorted(
    name
    for name in set(_plain_routes(get_resolver().url_patterns))
    # Sign-out by GET is refused; these two end the session or the account.
    if name not in {"account_logout", "privacy:forget_me"}
    and not name.startswith("admin:")
)


def test_the_walk_finds_the_pages_outside_organisations():
    assert {"home", "profile", "account_email", "privacy:my_data"} <= set(PLAIN)


@pytest.mark.parametrize("name", PLAIN)
def test_every_signed_in_response_is_no_store(client, staff, name):
    sign_in(client, staff)
    response = client.get(reverse(name))
    assert response.status_code < 500
    assert response["Cache-Control"] == "no-store", name
    assert "camera=()" in response["Permissions-Policy"]


def test_anonymous_pages_carry_the_permissions_policy(client):
    response = client.get(reverse("account_login"))
    assert "microphone=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_a_calendar_feed_is_no_store(client, staff):
    from meetings.models import CalendarFeed

    token = CalendarFeed.issue(staff)
    response = client.get(reverse("calendar_feed", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


# Sessions


def dashboard():
    return reverse("organisations:dashboard", kwargs={"org": "norrby"})


def test_an_idle_session_ends_after_the_organisations_timeout(client, staff):
    staff.organisation.idle_minutes = 10
    staff.organisation.save()
    start = datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        sign_in(client, staff)
        assert client.get(dashboard()).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=9), tick=False):
        assert client.get(dashboard()).status_code == 200
    # Counted from the last request, not from signing in.
    with time_machine.travel(start + datetime.timedelta(minutes=18), tick=False):
        assert client.get(dashboard()).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        response = client.get(dashboard(), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert tr("sv", "You were signed out after a while without activity.") in (
        response.text
    )


def test_the_shortest_timeout_of_the_persons_organisations_counts(client, staff, org):
    from tests.factories import make_org

    strict = make_org("strikt", idle_minutes=5)
    make_member(strict, "staff", user=staff.user)
    start = datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        sign_in(client, staff)
    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        assert client.get(dashboard()).status_code == 302


def test_a_session_ends_at_its_absolute_lifetime_however_busy(client, staff, settings):
    settings.SESSION_COOKIE_AGE = 3600
    start = datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        sign_in(client, staff)
    for minutes in range(20, 60, 20):
        with time_machine.travel(
            start + datetime.timedelta(minutes=minutes), tick=False
        ):
            assert client.get(dashboard()).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        assert client.get(dashboard()).status_code == 302


def test_what_was_typed_after_the_session_ended_is_shown_back(client, staff):
    start = datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        sign_in(client, staff)
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        response = client.post(
            reverse("dilemmas:create", kwargs={"org": "norrby"}),
            {"title": "Ett långt fall", "description": "Allt jag skrev i en timme."},
        )
    assert response.status_code == 401
    assert "Allt jag skrev i en timme." in response.text
    assert ">csrfmiddlewaretoken</label>" not in response.text
    assert client.get(dashboard()).status_code == 302


def test_idle_timeout_setting_is_validated(client, admin_member):
    sign_in(client, admin_member)
    org = admin_member.organisation
    response = client.post(
        reverse("organisations:settings", kwargs={"org": org.slug}),
        {
            "name": org.name,
            "language": org.language,
            "time_zone": org.time_zone,
            "retention_days": org.retention_days,
            "idle_minutes": "2",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["idle_minutes"] == [
        tr("sv", "Choose between 5 minutes and 480 minutes (8 hours).")
    ]
    org.refresh_from_db()
    assert org.idle_minutes == 30


# Passwords


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("kort-ord", "password_too_short"),
        ("elva-tecken", "password_too_short"),
        ("x" * 129 + "Aa1", "password_too_long"),
        ("password1234", "password_too_common"),
        ("123456789012", "password_entirely_numeric"),
        ("abcabcabcabc", "password_repetitive"),
        ("aaaa1111aaaa", "password_repetitive"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert code in [error.code for error in refused.value.error_list]


def test_a_long_passphrase_is_accepted():
    validate_password("tre röda hus vid sjön")


def test_changing_the_password_applies_the_rules(client, staff):
    sign_in(client, staff)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "kort", "password2": "kort"},
    )
    assert response.status_code == 200
    staff.user.refresh_from_db()
    assert staff.user.check_password(PASSWORD)


# Uploads


def import_url(org="norrby"):
    return reverse("values:import", kwargs={"org": org, "base": "vardegrund"})


@pytest.fixture
def editor_with_base(client, org, unit):
    from tests.values.helpers import make_base

    make_base(org)
    editor = make_member(org, "editor", unit=unit)
    sign_in(client, editor)
    return editor


def test_an_upload_declared_beyond_the_limit_is_refused_unread(
    client, editor_with_base
):
    # The declared length is what counts: not a byte of the body is read.
    response = client.generic(
        "POST",
        import_url(),
        b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert tr("sv", "The file is too large") in response.text


def test_a_file_past_the_limit_is_skipped_and_the_form_says_so(
    client, editor_with_base, tmp_path, settings
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    from values.textformat import MAX_BYTES

    # Just past the limit: the request is read, the file is not kept.
    big = SimpleUploadedFile("big.md", b"x" * (MAX_BYTES + 10_000), "text/markdown")
    response = client.post(import_url(), {"file": big})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == [
        tr("sv", "The file is larger than %(size)s MB and was not read.")
        % {"size": "1"}
    ]
    # Nothing reached the disk.
    assert list(tmp_path.iterdir()) == []


def test_a_date_typed_in_parts_comes_back_as_typed_when_wrong():
    from django import forms

    from lib.widgets import DatePartsWidget

    class Form(forms.Form):
        day = forms.DateField(widget=DatePartsWidget())

    form = Form({"day_0": "31", "day_1": "2", "day_2": "2026"})
    assert not form.is_valid()
    html = str(form["day"])
    assert 'value="31"' in html and 'value="2"' in html and 'value="2026"' in html
    good = Form({"day_0": "7", "day_1": "3", "day_2": "2026"})
    assert good.is_valid() and good.cleaned_data["day"].isoformat() == "2026-03-07"
    # A plain ISO date under the field's own name works as well (links, scripts).
    assert Form({"day": "2026-03-07"}).is_valid()
