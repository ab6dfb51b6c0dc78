"""A person's own data: everything the product holds about them, and forgetting it.

`export` gathers what a person may ask for under GDPR article 15, as plain
data for a JSON download. `anonymise` is article 17 for an account: the
person can no longer sign in, every personal field is blanked, and what they
contributed to their groups stays, shown as "former member".
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from acknowledgements.models import Acknowledgement, Notice
from audit.models import Action as AuditAction
from audit.models import AuditEvent, Via, person_label
from audit.models import Kind as AuditKind
from dilemmas.models import Dilemma
from evaluations.models import Respondent
from meetings.models import Attendance, CalendarFeed, Response
from organisations.models import Invitation, Membership
from reflections.models import Action, Amendment, Position


class CannotAnonymise(Exception):
    """The account is still needed, e.g. as the last administrator."""


def _when(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def export(user: User) -> dict[str, Any]:
    """Everything about the person, their own texts included; no one else's."""
    return {
        "exported": _when(timezone.now()),
        "account": {
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "joined": _when(user.date_joined),
            "last_sign_in": _when(user.last_login),
        },
        "email_addresses": [
            {"email": a.email, "primary": a.primary, "verified": a.verified}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "two_factor_methods": [a.type for a in Authenticator.objects.filter(user=user)],
        "memberships": _memberships(user),
        **_meetings(user),
        **_value_base(user),
        **_texts(user),
        "audit_log": [
            {
                "at": _when(e.at),
                "action": e.action,
                "outcome": e.outcome,
                "object_kind": e.object_kind,
                "object": str(e.object_uuid) if e.object_uuid else None,
            }
            for e in AuditEvent.objects.by_user(user).order_by("at")
        ],
    }


def _memberships(user: User) -> list[dict[str, Any]]:
    return [
        {
            "organisation": m.organisation.name,
            "role": m.role,
            "unit": m.unit.name if m.unit else None,
            "active": m.is_active,
            "added": _when(m.created),
            "guideline_audiences": [a.name for a in m.audiences.all()],
            "groups": [g.name for g in m.reflection_groups.all()],
            "facilitates": [g.name for g in m.facilitated_groups.all()],
        }
        for m in Membership.objects.filter(user=user)
        .select_related("organisation", "unit")
        .prefetch_related("audiences", "reflection_groups", "facilitated_groups")
    ]


def _meetings(user: User) -> dict[str, list[dict[str, Any]]]:
    """The person's answers to invitations, attendance and evaluations."""
    return {
        "meeting_answers": [
            {
                "meeting": r.meeting.title,
                "start": _when(r.meeting.start),
                "answer": r.answer,
                "answered": _when(r.answered),
            }
            for r in Response.objects.filter(membership__user=user).select_related(
                "meeting"
            )
        ],
        "attended": [
            {"meeting": a.meeting.title, "start": _when(a.meeting.start)}
            for a in Attendance.objects.filter(membership__user=user).select_related(
                "meeting"
            )
        ],
        # That the person answered, never what: answers are not linked to
        # anyone, so not even the person can be given their own.
        "evaluations_answered": [
            {
                "group": r.evaluation.reflection.group.name,
                "meeting": r.evaluation.reflection.meeting.title,
                "session": r.evaluation.held.isoformat(),
            }
            for r in Respondent.objects.filter(membership__user=user).select_related(
                "evaluation__reflection__meeting",
                "evaluation__reflection__dilemma__group",
                "evaluation__reflection__meeting__group",
            )
        ],
    }


def _value_base(user: User) -> dict[str, list[dict[str, Any]]]:
    """The versions of the value base the person confirmed, and the mails about
    them."""
    return {
        "value_base_confirmations": [
            {
                "value_base": c.version.value_base.name,
                "version": c.version.number,
                "confirmed": _when(c.acknowledged),
            }
            for c in Acknowledgement.objects.filter(
                membership__user=user
            ).select_related("version__value_base")
        ],
        "value_base_emails": [
            {
                "value_base": n.version.value_base.name,
                "version": n.version.number,
                "kind": n.kind,
                "sent": _when(n.sent),
            }
            for n in Notice.objects.filter(membership__user=user).select_related(
                "version__value_base"
            )
        ],
    }


def _texts(user: User) -> dict[str, list[dict[str, Any]]]:
    """What the person wrote: dilemmas, positions, actions and amendments."""
    return {
        "dilemmas_raised": [
            {
                "id": str(d.uuid),
                "group": d.group.name,
                "title": d.title,
                "description": d.description,
                "question": d.question,
                "anonymous_to_the_group": d.anonymous,
                # Written by the person too: whose voice, and in their words.
                "voices": [
                    {
                        "whose": v.kind,
                        "asked": v.asked,
                        "why_not": v.why_not,
                        "in_their_own_words": v.wishes,
                    }
                    for v in d.voices.all()
                ],
                "raised": _when(d.created),
                "erased": _when(d.erased),
            }
            for d in Dilemma.objects.filter(author__user=user)
            .select_related("group")
            .prefetch_related("voices")
        ],
        "positions_written": [
            {
                "reflection": str(p.step.reflection.uuid),
                "step": p.step.title,
                "text": p.body,
                "written": _when(p.changed),
            }
            for p in Position.objects.filter(membership__user=user).select_related(
                "step__reflection"
            )
        ],
        "actions_owned": [
            {
                "id": str(a.uuid),
                "text": a.text,
                "due": a.due.isoformat() if a.due else None,
                "done": _when(a.done),
            }
            for a in Action.objects.filter(owner__user=user)
        ],
        "amendments_written": [
            {
                "reflection": str(a.reflection.uuid),
                "text": a.body,
                "added": _when(a.created),
            }
            for a in Amendment.objects.filter(author__user=user).select_related(
                "reflection"
            )
        ],
    }


def last_admin_of(user: User) -> list[str]:
    return [
        m.organisation.name
        for m in Membership.objects.for_user(user).with_role("admin")
        if m.is_last_admin()
    ]


@transaction.atomic
def anonymise(user: User, *, via: str = Via.PAGE, view: str = "") -> None:
    """Forget the person; keep their contributions as a former member's.

    `via` says who asked: the person on their settings page, or the platform's
    operators on the command line (Via.SYSTEM) for a request that came
    another way.
    """
    if needed := last_admin_of(user):
        raise CannotAnonymise(
            _(
                "You are the last administrator of %(orgs)s. Make someone else an "
                "administrator first."
            )
            % {"orgs": ", ".join(needed)}
        )
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organisation", "unit")
        .order_by("organisation_id")
    )
    # Named as they were, before the name and address go.
    name = person_label(user)
    for membership in memberships:
        AuditEvent.record(
            action=AuditAction.ANONYMISE,
            object_kind=AuditKind.ACCOUNT,
            object_name=name,
            organisation=membership.organisation,
            unit=membership.unit,
            via=via,
            view=view,
            # The person themself, or the operators (who are not members).
            membership=membership if via != Via.SYSTEM else None,
        )
    for session in UserSession.objects.filter(user=user):
        session.end()
    CalendarFeed.objects.filter(membership__in=memberships).delete()
    Membership.objects.filter(user=user).update(is_active=False)
    Invitation.objects.open().filter(email__iexact=user.email).update(
        withdrawn=timezone.now()
    )
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    user.email = f"former-member-{uuid.uuid4().hex}@anonymised.invalid"
    user.name = ""
    user.language = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.anonymised = timezone.now()
    user.set_unusable_password()
    user.save()
