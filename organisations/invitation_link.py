"""Where an invitation link lands: accepting it with a new account or the one
the person already has, without being a member yet."""

from __future__ import annotations

import contextlib
from contextlib import AbstractContextManager
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.models import Action as AuditAction
from audit.models import AuditEvent

from .forms import AcceptInvitationForm
from .models import Invitation, Membership


def _invitation_language(
    request: HttpRequest, invitation: Invitation
) -> AbstractContextManager[object]:
    """The organisation's language, unless the person has chosen one."""
    chosen = (
        request.user.is_authenticated and request.user.language
    ) or settings.LANGUAGE_COOKIE_NAME in request.COOKIES
    if chosen:
        return contextlib.nullcontext()
    return translation.override(invitation.organisation.language)


# The link's token, kept while the person signs in: never in a ?next= address.
PENDING_INVITATION = "etikrum_pending_invitation"


@require_http_methods(["GET", "POST"])
def invitation_continue(request: HttpRequest) -> HttpResponse:
    """Back from signing in, on with the invitation the session remembers."""
    token = request.session.get(PENDING_INVITATION)
    if not token:
        return redirect("home")
    return invitation_accept(request, token)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Where the invitation link lands: accept with a new or the existing account."""
    invitation = Invitation.from_token(token)
    if invitation is None or invitation.withdrawn is not None:
        return render(request, "organisations/invitation_invalid.html", status=404)
    with (
        _invitation_language(request, invitation),
        timezone.override(invitation.organisation.time_zone),
    ):
        return _accept(request, invitation)


def _accept(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    organisation = invitation.organisation
    dashboard = redirect("organisations:dashboard", org=organisation.slug)
    context: dict[str, Any] = {"invitation": invitation, "organisation": organisation}
    if invitation.accepted is not None:
        if request.method == "POST":
            # A form sent from a page read before someone else accepted.
            return _accepted_meanwhile(request, invitation)
        if request.user.is_authenticated:
            return dashboard
        messages.info(request, _("This invitation has been accepted; sign in here."))
        return redirect_to_login(dashboard.url)
    if invitation.is_expired:
        return render(
            request, "organisations/invitation_expired.html", context, status=410
        )
    User = get_user_model()
    account = User.objects.filter(email__iexact=invitation.email).first()
    if request.user.is_authenticated:
        if account is None or account.pk != request.user.pk:
            return render(
                request,
                "organisations/invitation_other_account.html",
                context,
                status=403,
            )
        return _accept_signed_in(request, invitation, account, context)
    if account is not None:
        request.session[PENDING_INVITATION] = invitation.token()
        return render(request, "organisations/invitation_sign_in.html", context)
    return _accept_with_new_account(request, invitation, context)


def _accept_signed_in(
    request: HttpRequest,
    invitation: Invitation,
    account: AbstractBaseUser,
    context: dict[str, Any],
) -> HttpResponse:
    """The invited person, signed in: confirm, then join with this account."""
    if request.method != "POST":
        return render(request, "organisations/invitation_confirm.html", context)
    try:
        with transaction.atomic():
            # Opening the link proved the mailbox once more.
            EmailAddress.objects.filter(
                user=account, email__iexact=invitation.email
            ).update(verified=True)
            membership = invitation.accept(account)
            _record_acceptance(request, invitation, membership)
    except Invitation.Closed:
        return _accepted_meanwhile(request, invitation)
    request.session.pop(PENDING_INVITATION, None)
    messages.success(
        request,
        _("Welcome to %(org)s.") % {"org": invitation.organisation.name},
    )
    return redirect("organisations:dashboard", org=invitation.organisation.slug)


def _accept_with_new_account(
    request: HttpRequest, invitation: Invitation, context: dict[str, Any]
) -> HttpResponse:
    """Someone without an account: make one with the invited address, and join."""
    organisation = invitation.organisation
    form = AcceptInvitationForm(
        request.POST or None,
        email=invitation.email,
        initial={"name": invitation.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                # Held before the account is made: of several people who send
                # this form at once, one makes the account.
                invitation.lock_open()
                user = get_user_model().objects.create_user(
                    invitation.email,
                    form.cleaned_data["password1"],
                    name=form.cleaned_data["name"],
                    language=translation.get_language()
                    if translation.get_language() in dict(settings.LANGUAGES)
                    else "",
                    verified=True,
                )
                membership = invitation.accept(user)
                _record_acceptance(request, invitation, membership)
        except Invitation.Closed:
            return _accepted_meanwhile(request, invitation)
        except IntegrityError:
            # The address got an account meanwhile, through another
            # organisation's invitation: accepting this one means signing in.
            request.session[PENDING_INVITATION] = invitation.token()
            return render(
                request, "organisations/invitation_sign_in.html", context, status=409
            )
        login(request, user, backend="accounts.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome to %(org)s. You are signed in.") % {"org": organisation.name},
        )
        return redirect("organisations:dashboard", org=organisation.slug)
    context["form"] = form
    return render(request, "organisations/invitation_accept.html", context)


def _accepted_meanwhile(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """Another request accepted (or an administrator withdrew) the invitation."""
    invitation.refresh_from_db(fields=["accepted", "withdrawn", "membership"])
    if invitation.withdrawn is not None:
        return render(request, "organisations/invitation_invalid.html", status=404)
    if (
        request.user.is_authenticated
        and invitation.membership is not None
        and invitation.membership.user_id == request.user.pk
    ):
        # The same person, in another window: the membership is theirs.
        return redirect("organisations:dashboard", org=invitation.organisation.slug)
    return render(
        request,
        "organisations/invitation_taken.html",
        {"invitation": invitation, "organisation": invitation.organisation},
        status=409,
    )


def _record_acceptance(
    request: HttpRequest, invitation: Invitation, membership: Membership
) -> AuditEvent:
    match = request.resolver_match
    return AuditEvent.record(
        action=AuditAction.INVITE_ACCEPT,
        obj=invitation,
        membership=membership,
        view=match.view_name if match is not None else "",
        detail=lambda: _("Role: %(role)s") % {"role": membership.get_role_display()},
    )
