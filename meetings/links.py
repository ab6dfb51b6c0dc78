"""One-click answer links in e-mails: a signed token for one person and meeting."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.core import signing

from organisations.models import Membership

from .models import Meeting

# Signed for this purpose only, and short-lived (reminders bring fresh ones).
ANSWER_SALT = "meetings.answer"
ANSWER_LINK_MAX_AGE = timedelta(days=60)


def answer_token(meeting: Meeting, membership: Membership) -> str:
    """A signed token that lets one person answer one meeting, for a while.

    It carries two random identifiers and a timestamp, nothing personal; the
    salt keeps it from being accepted anywhere else.
    """
    return signing.dumps(
        [meeting.uuid.hex, membership.uuid.hex], salt=ANSWER_SALT, compress=True
    )


def from_answer_token(token: str) -> tuple[Meeting, Membership] | None:
    """The meeting and the person of a token, while both still fit together."""
    try:
        meeting_uuid, membership_uuid = signing.loads(
            token, salt=ANSWER_SALT, max_age=ANSWER_LINK_MAX_AGE
        )
        meeting_uuid, membership_uuid = (
            uuid.UUID(meeting_uuid),
            uuid.UUID(membership_uuid),
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    membership = (
        Membership.objects.active()
        .select_related("user", "organisation")
        .filter(uuid=membership_uuid)
        .first()
    )
    if membership is None:
        return None
    meeting = (
        Meeting.objects.for_invitee(membership)
        .select_related("organisation", "group", "series")
        .filter(uuid=meeting_uuid)
        .first()
    )
    if meeting is None:
        return None
    return meeting, membership
