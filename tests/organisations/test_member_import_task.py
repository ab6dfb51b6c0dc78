"""A confirmed member import is applied by the task worker, not the request.

The confirmation marks the import and queues its task; the import's page
shows it waiting, being applied, done with its counts, failed (and tried
again by the worker) or stopped. Applying is one transaction, so an attempt
that fails leaves nothing and the next invites nobody twice.
"""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent
from organisations.models import ImportState, Invitation, MemberImport, Membership
from organisations.tasks import apply_member_import, send_invitation_batch
from tests.factories import make_member, make_org, make_user, sign_in
from tests.task_queue import work_off_the_queue
from tests.translations import tr

from .test_member_import import counted, import_counts, upload

FILE = (
    "E-post;Namn;Roll\n"
    "ny1@norrby.example;Ny Ett;medarbetare\n"
    "ny2@norrby.example;Ny Två;samtalsledare\n"
    "kvar@norrby.example;;chef\n"
    "fel@;Fel Felsson;\n"
).encode()


@pytest.fixture
def norrby(db):
    org = make_org("norrby")
    admin = make_member(org, "admin", email="admin@norrby.example")
    staying = make_member(org, "staff", email="kvar@norrby.example")
    return org, admin, staying


def _url(name: str, org, member_import: MemberImport | None = None) -> str:
    kwargs = {"org": org.slug}
    if member_import is not None:
        kwargs["import_uuid"] = member_import.uuid
    return reverse(f"organisations:{name}", kwargs=kwargs)


def _uploaded(client, org, admin, content: bytes = FILE) -> MemberImport:
    sign_in(client, admin)
    upload(client, org, content)
    return MemberImport.objects.get(organisation=org)


def _apply_tasks() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path="organisations.tasks.apply_member_import")
    )


def _audit(org):
    return AuditEvent.objects.for_organisation(org)


@pytest.mark.django_db(transaction=True)
# long: one import from the confirmation through the queue to its counts
def test_the_confirmation_queues_the_import_and_the_worker_applies_it(
    client, norrby, queue
):
    org, admin, staying = norrby
    member_import = _uploaded(client, org, admin)
    page_url = _url("member_import_preview", org, member_import)

    waiting = client.post(
        _url("member_import_confirm", org, member_import),
        {"skip_errors": "on"},
        follow=True,
    )

    # The request marked it and queued its task; nothing is applied yet.
    assert waiting.redirect_chain == [(page_url, 302)]
    member_import.refresh_from_db()
    assert member_import.state == ImportState.CONFIRMED
    assert (member_import.confirmed_by, member_import.skip_errors) == (admin, True)
    assert member_import.confirmed is not None
    (task,) = _apply_tasks()
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs["args"] == [member_import.pk]
    assert member_import.task_id == str(task.pk)
    assert not Invitation.objects.exists()
    assert not _audit(org).exists()
    text = waiting.text
    assert tr("sv", "Waiting to be applied.") in text
    # Without JavaScript a link refreshes; with htmx the state is asked again.
    assert tr("sv", "Refresh to see how it goes") in text
    assert f'hx-get="{page_url}" hx-trigger="every 3s"' in text
    part = client.get(page_url, headers={"HX-Request": "true"})
    assert "<html" not in part.text
    assert tr("sv", "Waiting to be applied.") in part.text
    assert 'hx-trigger="every 3s"' in part.text
    # The rows are kept until the worker has applied them.
    assert len(member_import.rows) == 4

    work_off_the_queue()

    (task,) = _apply_tasks()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == {"error": 1, "invite": 2, "change": 1, "same": 0}
    member_import.refresh_from_db()
    assert member_import.state == ImportState.DONE
    assert member_import.rows == []
    assert member_import.applied is not None
    invited = Invitation.objects.for_organisation(org).order_by("email")
    assert [(i.email, i.name, i.role, i.invited_by) for i in invited] == [
        ("ny1@norrby.example", "Ny Ett", "staff", admin),
        ("ny2@norrby.example", "Ny Två", "facilitator", admin),
    ]
    staying.refresh_from_db()
    assert staying.role == "manager"
    # The invitations are mailed by their own tasks, queued once applied.
    assert len(mail.outbox) == 2
    # The audit rows name the administrator who confirmed, once each.
    log = _audit(org)
    assert sorted(log.values_list("action", flat=True)) == [
        "change",
        "import",
        "invite",
        "invite",
    ]
    assert set(log.values_list("membership", "view")) == {
        (admin.pk, "organisations:member_import_confirm")
    }

    done = client.get(page_url)
    assert tr("sv", "The import is done.") in done.text
    assert import_counts(done.text) == [
        (counted("Invited"), "2"),
        (counted("Changed"), "1"),
        (counted("Unchanged"), "0"),
        (counted("Rows in error left out"), "1"),
    ]
    # Done, the page no longer asks again.
    assert "hx-trigger" not in done.text
    assert tr("sv", "Refresh to see how it goes") not in done.text


@pytest.mark.django_db(transaction=True)
# long: a failed attempt, its page, the worker's retry and what it wrote
def test_an_attempt_that_fails_leaves_nothing_and_the_retry_applies_once(
    client, norrby, queue
):
    org, admin, staying = norrby
    member_import = _uploaded(client, org, admin)
    client.post(_url("member_import_confirm", org, member_import), {"skip_errors": "1"})
    page_url = _url("member_import_preview", org, member_import)

    # The first attempt fails at its very end, after the invitations and the
    # change were written: the audit rows cannot be appended.
    with mock.patch.object(
        AuditEvent, "append_all", side_effect=ConnectionError("database gone")
    ):
        work_off_the_queue()

    (task,) = _apply_tasks()
    assert task.status == TaskResultStatus.READY  # to be tried again
    assert len(task.worker_ids) == 1
    member_import.refresh_from_db()
    assert member_import.state == ImportState.FAILED
    assert len(member_import.rows) == 4
    assert not Invitation.objects.exists()
    staying.refresh_from_db()
    assert staying.role == "staff"
    assert not _audit(org).exists()
    assert not mail.outbox
    failed = client.get(page_url)
    assert tr("sv", "Not applied yet.") in failed.text
    assert "database gone" not in failed.text
    assert 'hx-trigger="every 3s"' in failed.text

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        work_off_the_queue()

    (task,) = _apply_tasks()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2
    member_import.refresh_from_db()
    assert member_import.state == ImportState.DONE
    assert Invitation.objects.count() == 2
    assert len(mail.outbox) == 2
    log = _audit(org)
    assert log.filter(action="invite").count() == 2
    assert log.filter(action="change").count() == 1
    assert log.filter(action="import").count() == 1

    # The task run once more (queued twice, or a worker taken for dead)
    # finds the import done and writes nothing.
    assert apply_member_import.call(member_import.pk) == {}
    assert Invitation.objects.count() == 2
    assert _audit(org).count() == 4
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_while_applying_the_page_says_so(client, norrby):
    org, admin, _staying = norrby
    member_import = _uploaded(client, org, admin)
    MemberImport.objects.filter(pk=member_import.pk).update(
        state=ImportState.APPLYING, confirmed=timezone.now(), confirmed_by=admin
    )
    page = client.get(_url("member_import_preview", org, member_import))
    assert tr("sv", "Being applied.") in page.text
    assert 'hx-trigger="every 3s"' in page.text


@pytest.mark.django_db
def test_confirming_twice_applies_once(
    client, norrby, queue, django_capture_on_commit_callbacks
):
    org, admin, _staying = norrby
    member_import = _uploaded(client, org, admin)
    confirm = _url("member_import_confirm", org, member_import)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(confirm, {"skip_errors": "on"})
    # The same form sent again, from the first tab or another one.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = client.post(confirm, {"skip_errors": "on"}, follow=True)
        third = client.post(confirm)
    assert not callbacks
    assert first.url == second.redirect_chain[0][0] == third.url
    assert tr("sv", "This import was already confirmed.") in second.text
    assert tr("sv", "Waiting to be applied.") in second.text
    assert len(_apply_tasks()) == 1

    # Even a task queued twice applies the import once.
    apply_member_import.call(member_import.pk)
    apply_member_import.call(member_import.pk)
    assert Invitation.objects.count() == 2
    assert _audit(org).filter(action="import").count() == 1


@pytest.mark.django_db
def test_rows_in_error_by_the_time_it_is_applied_stop_it(
    client, norrby, queue, django_capture_on_commit_callbacks
):
    org, admin, staying = norrby
    member_import = _uploaded(client, org, admin, FILE.rsplit(b"fel@", 1)[0])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("member_import_confirm", org, member_import))
    member_import.refresh_from_db()
    assert (member_import.state, member_import.skip_errors) == ("confirmed", False)
    # Deactivated after the confirmation: the file's row for them is now in
    # error, and the administrator did not agree to leave rows out.
    Membership.objects.filter(pk=staying.pk).update(is_active=False)

    apply_member_import.call(member_import.pk)

    member_import.refresh_from_db()
    assert member_import.state == ImportState.STOPPED
    assert member_import.counts["error"] == 1
    assert not Invitation.objects.exists()
    assert not _audit(org).exists()
    page = client.get(_url("member_import_preview", org, member_import))
    assert tr("sv", "Stopped; nothing was changed.") in page.text
    assert "hx-trigger" not in page.text


@pytest.mark.django_db
def test_every_administrator_follows_a_confirmed_import_and_no_one_else(
    client, norrby, django_capture_on_commit_callbacks
):
    org, admin, staying = norrby
    second_admin = make_member(org, "admin", email="admin2@norrby.example")
    manager = make_member(org, "manager", email="chef@norrby.example")
    vestby = make_org("vestby")
    outsider = make_member(vestby, "admin", email="admin@vestby.example")
    member_import = _uploaded(client, org, admin)
    page_url = _url("member_import_preview", org, member_import)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _url("member_import_confirm", org, member_import), {"skip_errors": "on"}
        )

    for person in (admin, second_admin):
        sign_in(client, person)
        page = client.get(page_url)
        assert tr("sv", "The import is done.") in page.text
        assert (counted("Invited"), "2") in import_counts(page.text)
        # Another administrator follows it but cannot confirm it.
        assert client.post(
            _url("member_import_confirm", org, member_import)
        ).status_code == (302 if person == admin else 404)
    for person in (staying, manager):
        sign_in(client, person)
        assert client.get(page_url).status_code == 403
    sign_in(client, outsider)
    assert client.get(page_url).status_code == 404
    assert (
        client.get(_url("member_import_preview", vestby, member_import)).status_code
        == 404
    )
    assert Invitation.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_import_the_worker_gave_up_on_says_so_and_keeps_its_rows(
    client, norrby, queue, settings
):
    org, admin, _staying = norrby
    settings.TASKS_MAX_ATTEMPTS = 1
    member_import = _uploaded(client, org, admin)
    client.post(_url("member_import_confirm", org, member_import), {"skip_errors": "1"})

    with mock.patch.object(
        AuditEvent, "append_all", side_effect=ConnectionError("database gone")
    ):
        work_off_the_queue()

    (task,) = _apply_tasks()
    assert task.status == TaskResultStatus.FAILED
    member_import.refresh_from_db()
    assert member_import.state == ImportState.FAILED
    # Kept, so that the operators can queue it again (manage.py failed_tasks).
    assert len(member_import.rows) == 4
    assert not Invitation.objects.exists()
    page = client.get(_url("member_import_preview", org, member_import))
    assert tr("sv", "Not applied.") in page.text
    assert tr("sv", "Not applied yet.") not in page.text
    assert "hx-trigger" not in page.text


@pytest.mark.django_db
def test_a_failed_attempt_outside_the_database_queue_shows_its_page(
    client, norrby, django_capture_on_commit_callbacks
):
    # Django's immediate backend (as in tests) gives the task an id of its
    # own, not one of the database queue's.
    org, admin, _staying = norrby
    member_import = _uploaded(client, org, admin)
    with (
        mock.patch.object(
            AuditEvent, "append_all", side_effect=ConnectionError("database gone")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(
            _url("member_import_confirm", org, member_import), {"skip_errors": "1"}
        )
    member_import.refresh_from_db()
    assert member_import.state == ImportState.FAILED
    assert member_import.task_id
    page = client.get(_url("member_import_preview", org, member_import))
    assert page.status_code == 200
    assert tr("sv", "Not applied yet.") in page.text
    assert not Invitation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_invitations_mails_each_once_and_queues_a_failed_one_alone(
    norrby, queue, django_assert_max_num_queries
):
    org, admin, _staying = norrby
    # An account of its own, in English, under the address in other letters.
    make_user("Konto@Norrby.example", language="en")

    def invite(email: str, **kwargs) -> Invitation:
        kwargs.setdefault("expires", timezone.now() + timedelta(days=14))
        return Invitation.objects.create(
            organisation=org, email=email, invited_by=admin, **kwargs
        )

    fresh = invite("ny@norrby.example")
    account = invite("konto@norrby.example")
    failing = invite("studsar@norrby.example")
    withdrawn = invite("indragen@norrby.example", withdrawn=timezone.now())
    late = invite("sen@norrby.example", expires=timezone.now() - timedelta(days=1))
    sent = mail.send_mail

    def send_or_fail(subject, body, sender, to):
        if to == [failing.email]:
            raise ConnectionError("mail server gone")
        return sent(subject, body, sender, to)

    ids = [fresh.pk, failing.pk, account.pk, withdrawn.pk, late.pk]
    # The invitations and the accounts of their addresses in two queries, and
    # the one that failed put on the queue: not two queries for each mail.
    with (
        mock.patch("organisations.tasks.send_mail", side_effect=send_or_fail),
        django_assert_max_num_queries(3),
    ):
        send_invitation_batch.call(ids)

    assert [message.to for message in mail.outbox] == [
        [fresh.email],
        [account.email],
    ]
    first, second = mail.outbox
    assert first.subject == tr("sv", "You are invited to %(org)s") % {"org": org.name}
    assert (
        tr("sv", "Open the link to choose your password and accept the invitation:")
        in first.body
    )
    assert second.subject == f"You are invited to {org.name}"
    assert "You already have an account for this address." in second.body
    (retry,) = DBTaskResult.objects.all()
    assert retry.task_path == "organisations.tasks.send_invitation"
    assert retry.args_kwargs["args"] == [failing.pk]
    work_off_the_queue()
    assert [message.to for message in mail.outbox][2:] == [[failing.email]]
