"""Signing in, in the audit log: successes, failures, lock-outs, second factors.

A person's sign-in concerns every organisation they are a member of, so each
of them gets a row (AuditEvent.record_for_person); an account without a
membership, or an address without an account, gets a row in the platform's
chain, which the operators read in the Django admin. No row holds a password,
a code, or an address that belongs to no account (people type passwords into
the address field).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audit.models import Action, AuditEvent, Kind, Outcome, person_label

if TYPE_CHECKING:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from .models import User

# A locked-out address is written down once in this many seconds: every
# further attempt is refused the same way and would only fill the log.
LOCKOUT_QUIET_SECONDS = 300

METHODS = {
    "password": _("password"),
    "socialaccount": _("the identity provider"),
    "totp": _("authenticator app"),
    "recovery_codes": _("recovery code"),
    "webauthn": _("security key"),
}

AUTHENTICATORS = {
    "totp": _("Authenticator app"),
    "recovery_codes": _("Recovery codes"),
    "webauthn": _("Security key"),
}


def _view(request: HttpRequest | None) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


def _record(
    request: HttpRequest | None,
    user: User | None,
    action: str,
    *,
    detail: object = "",
    outcome: str = Outcome.ALLOWED,
) -> None:
    if user is None:
        AuditEvent.record(
            action=action,
            person=_("An address that belongs to no account"),
            view=_view(request),
            object_kind=Kind.ACCOUNT,
            detail=detail,
            outcome=outcome,
        )
        return
    AuditEvent.record_for_person(
        user,
        action=action,
        object_name=person_label(user),
        view=_view(request),
        object_kind=Kind.ACCOUNT,
        detail=detail,
        outcome=outcome,
    )


def _account(credentials: dict[str, str]) -> User | None:
    email = credentials.get("email") or credentials.get("username") or ""
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email.strip()).first()


def _methods(request: HttpRequest, user: User) -> list[Promise]:
    """How the person proved who they are, as lazy labels."""
    from allauth.account.internal.flows.login import get_authentication_records

    used: list[Promise] = []
    for record in get_authentication_records(request, user):
        key = record.get("type") if record.get("method") == "mfa" else None
        label = METHODS.get(key or record.get("method"))
        if label is not None and label not in used:
            used.append(label)
    return used


def signed_in(
    sender: object, request: HttpRequest, user: User, **kwargs: object
) -> None:
    methods = _methods(request, user)

    def detail() -> str:
        if not methods:
            return ""
        return _("With %(methods)s") % {
            "methods": " + ".join(str(label) for label in methods)
        }

    _record(request, user, Action.SIGN_IN, detail=detail)


def password_failed(request: HttpRequest, credentials: dict[str, str]) -> None:
    """From the account adapter: an address and password that did not match."""
    again = request is not None and request.user.is_authenticated
    _record(
        request,
        _account(credentials),
        Action.SIGN_IN_FAILED,
        outcome=Outcome.DENIED,
        detail=(
            _("Wrong password when it was asked for again")
            if again
            else _("Wrong password or address")
        ),
    )


def locked_out(request: HttpRequest, credentials: dict[str, str]) -> None:
    """From the account adapter: the rate limit refused to even try."""
    user = _account(credentials)
    key = f"audit:locked-out:{user.pk if user is not None else 'unknown'}"
    try:
        first = cache.add(key, True, LOCKOUT_QUIET_SECONDS)
    except Exception:
        # Without the cache every refusal is written: more rows, nothing lost.
        first = True
    if not first:
        return
    _record(
        request,
        user,
        Action.LOCKED_OUT,
        outcome=Outcome.DENIED,
        detail=_(
            "Too many failed sign-ins; further refusals in the next five minutes "
            "are not written down one by one"
        ),
    )


def second_factor_failed(
    sender: object,
    request: HttpRequest,
    user: User,
    authenticator: Authenticator,
    reauthentication: bool = False,
    **kwargs: object,
) -> None:
    kind = AUTHENTICATORS.get(authenticator.type, authenticator.type)
    _record(
        request,
        user,
        Action.SIGN_IN_FAILED,
        outcome=Outcome.DENIED,
        detail=lambda: _("Wrong code: %(method)s") % {"method": kind},
    )


def authenticator_added(
    sender: object,
    request: HttpRequest,
    user: User,
    authenticator: Authenticator,
    **kwargs: object,
) -> None:
    _record(
        request,
        user,
        Action.MFA_ADDED,
        detail=AUTHENTICATORS.get(authenticator.type, authenticator.type),
    )


def authenticator_reset(
    sender: object,
    request: HttpRequest,
    user: User,
    authenticator: Authenticator,
    **kwargs: object,
) -> None:
    _record(request, user, Action.MFA_ADDED, detail=_("New recovery codes"))


def authenticator_removed(
    sender: object,
    request: HttpRequest,
    user: User,
    authenticator: Authenticator,
    **kwargs: object,
) -> None:
    _record(
        request,
        user,
        Action.MFA_REMOVED,
        detail=AUTHENTICATORS.get(authenticator.type, authenticator.type),
    )


def password_changed(
    sender: object, request: HttpRequest, user: User, **kwargs: object
) -> None:
    _record(request, user, Action.CHANGE, detail=_("Password changed"))


def password_reset(
    sender: object, request: HttpRequest, user: User, **kwargs: object
) -> None:
    _record(
        request, user, Action.CHANGE, detail=_("Password chosen anew by e-mail link")
    )


def email_changed(
    sender: object,
    request: HttpRequest,
    user: User,
    from_email_address: EmailAddress | None,
    to_email_address: EmailAddress,
    **kw: object,
) -> None:
    old = from_email_address.email if from_email_address else "–"
    new = to_email_address.email
    _record(
        request,
        user,
        Action.CHANGE,
        detail=lambda: (
            _("Sign-in address: %(old)s → %(new)s") % {"old": old, "new": new}
        ),
    )


def connect() -> None:
    pairs = [
        (account_signals.user_logged_in, signed_in),
        (account_signals.password_changed, password_changed),
        (account_signals.password_reset, password_reset),
        (account_signals.email_changed, email_changed),
        (mfa_signals.authentication_failed, second_factor_failed),
        (mfa_signals.authenticator_added, authenticator_added),
        (mfa_signals.authenticator_reset, authenticator_reset),
        (mfa_signals.authenticator_removed, authenticator_removed),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"etikrum_audit_{receiver.__name__}")
