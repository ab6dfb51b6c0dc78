from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Invitation

logger = logging.getLogger(__name__)

# Invitations of a member import per task: few enough that a batch is done
# in seconds, many enough that 3,000 people are not 3,000 tasks.
INVITATION_BATCH = 50


@task
def send_invitation(invitation_id: int) -> None:
    """Send the link with which the person accepts (and chooses a password)."""
    mail_invitation(invitation_id)


@task
def send_invitation_batch(invitation_ids: list[int]) -> None:
    """Send a batch of invitations; one that fails goes again on its own.

    A failure in the middle must not send the batch's earlier mails twice,
    so the batch is never retried as a whole: each failed invitation becomes
    a task of its own, retried by the worker like any other. The batch's
    invitations and the accounts of their addresses are read in two queries,
    not two for each mail.
    """
    invitations = (
        Invitation.objects.open().select_related("organisation").in_bulk(invitation_ids)
    )
    accounts = _accounts([invitation.email for invitation in invitations.values()])
    for invitation_id in invitation_ids:
        invitation = invitations.get(invitation_id)
        if invitation is None:
            continue
        try:
            _mail(invitation, accounts.get(invitation.email.lower()))
        except Exception:
            logger.exception("Invitation %s not sent; queued again", invitation_id)
            send_invitation.enqueue(invitation_id)


@task
def apply_member_import(import_id: int) -> dict[str, int]:
    """Apply a confirmed member import; returns what it did, by outcome.

    All of it is written in one transaction, so an attempt that fails leaves
    nothing and the worker's next attempt starts afresh; an import already
    applied is left as it is (organisations.memberimport_apply).
    """
    from .memberimport_apply import apply_import

    applied = apply_import(import_id)
    return applied.counts if applied is not None else {}


def mail_invitation(invitation_id: int) -> None:
    invitation = (
        Invitation.objects.open()
        .select_related("organisation")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return
    _mail(invitation, _accounts([invitation.email]).get(invitation.email.lower()))


def _accounts(emails: list[str]) -> dict[str, Any]:
    """The account of each address (compared without case), by the address in
    lower case; where several match one, the first in the users' order."""
    if not emails:
        return {}
    match = Q()
    for email in set(emails):
        match |= Q(email__iexact=email)
    accounts: dict[str, Any] = {}
    for user in get_user_model().objects.filter(match):
        accounts.setdefault(user.email.lower(), user)
    return accounts


def _mail(invitation: Invitation, existing: Any) -> None:
    """Mail an open invitation, in the language of the account its address
    already has (`existing`, or None), else in the organisation's."""
    if invitation.is_expired:
        return
    language = (existing and existing.language) or invitation.organisation.language
    with (
        translation.override(language),
        timezone.override(invitation.organisation.time_zone),
    ):
        link = settings.SITE_URL + reverse(
            "invitation_accept", kwargs={"token": invitation.token()}
        )
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "role": invitation.get_role_display(),
            "link": link,
            "has_account": existing is not None,
        }
        subject = render_to_string(
            "organisations/email/invitation_subject.txt", context
        ).strip()
        body = render_to_string("organisations/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
