"""The one way into an organisation's pages.

Every view under /o/<org>/ is wrapped in `member_required`: it resolves the
organisation from the address through the signed-in person's own active
memberships (so another organisation's address answers 404), checks the
capability the view needs (403), applies two-factor policy and activates the
organisation's time zone. The tenant-isolation test walks the URLconf and fails
for any organisation view that is not wrapped.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import Action, AuditEvent, Outcome, Via
from core.replica import primary_reads
from lib import stamps

from .models import Membership, Organisation

if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from uuid import UUID

    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django_htmx.middleware import HtmxDetails

# A view as `member_required` takes and gives it.
View = Callable[..., HttpResponseBase]


class OrgRequest(HttpRequest):
    membership: Membership
    organisation: Organisation
    # Set by django-htmx's middleware on every request.
    htmx: HtmxDetails


class _LookedUpRequest(HttpRequest):
    """What `memberships_of` keeps on any request it is given."""

    _memberships: list[Membership]
    # Everything read from the cache in the memberships' round trip.
    cache_prefetched: dict[str, Any]


# The memberships kept in the cache: the stamps they were made under, and them.
_Kept = tuple[tuple[int | None, int | None], list[Membership]]


# A person's memberships are kept for a few minutes under two stamps: their own,
# raised when one of their memberships or their account changes, and everyone's,
# raised when an organisation or a unit changes (organisations/apps.py). A
# member made inactive loses access with their next request.
MEMBERSHIPS_TIMEOUT = 300
EVERYONE_STAMP = "memberships:stamp"


def person_stamp_key(user_id: int) -> str:
    return f"memberships:stamp:{user_id}"


def memberships_changed(user_id: int) -> None:
    stamps.raise_stamp(person_stamp_key(user_id))


def organisations_changed() -> None:
    stamps.raise_stamp(EVERYONE_STAMP)


def _load_memberships(request: _LookedUpRequest, also: list[str]) -> list[Membership]:
    user = request.user
    # Only a signed-in person gets here: member_required signs them in first,
    # and only their pages carry the organisation switcher.
    assert user.is_authenticated
    if not stamps.enabled():
        return list(Membership.objects.for_user(user))
    key = f"memberships:{user.pk}"
    own = person_stamp_key(user.pk)
    # One round trip to the cache: what the view wants next comes along.
    found = cache.get_many([key, own, EVERYONE_STAMP, *also])
    request.cache_prefetched = found
    made_under = (stamps.current(found, own), stamps.current(found, EVERYONE_STAMP))
    entry: _Kept | None = found.get(key)
    if entry is not None and entry[0] == made_under:
        return entry[1]
    # With their audiences, which the guidelines for me depend on; from the
    # primary, like all that decides what a person may see (core.replica).
    with primary_reads():
        memberships = list(
            Membership.objects.for_user(user).prefetch_related("audiences")
        )
    if None not in made_under:
        cache.set(key, (made_under, memberships), MEMBERSHIPS_TIMEOUT)
    return memberships


def memberships_of(
    request: HttpRequest, *, also: Sequence[str] = ()
) -> list[Membership]:
    """The signed-in person's active memberships, loaded once per request.

    `member_required` picks the current one from this list and the organisation
    switcher in the header lists it: one lookup serves both. Cache keys in
    `also` are read in the same round trip (`request.cache_prefetched`).
    """
    # Any request can carry them; this module is the one that sets them.
    looked_up = cast(_LookedUpRequest, request)
    memberships: list[Membership] | None = getattr(looked_up, "_memberships", None)
    if memberships is None:
        memberships = _load_memberships(looked_up, list(also))
        looked_up._memberships = memberships
    return memberships


def user_has_totp(user: AbstractBaseUser | AnonymousUser) -> bool:
    from allauth.mfa.models import Authenticator

    has_totp: bool = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()
    return has_totp


def _organisation_language(
    request: HttpRequest, membership: Membership
) -> AbstractContextManager[None]:
    """The organisation's language, for people who have not chosen one."""
    user = request.user
    assert user.is_authenticated  # member_required signs people in first.
    if user.language or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return contextlib.nullcontext()
    return translation.override(membership.organisation.language)


def audited(kind: str, kwarg: str) -> Callable[[View], View]:
    """Marks a view of case text: `member_required` logs every refusal of it.

    `kind` names the object (dilemma, reflection, ...) and `kwarg` the URL
    argument that holds its uuid. Readings and writings that go through are
    recorded by the view itself, which knows what it showed or changed.
    """

    def decorator(view: View) -> View:
        # reason: a mark on the function for member_required to read.
        view.audit_object = (kind, kwarg)  # type: ignore[attr-defined]
        return view

    return decorator


def _record_refusal(
    request: HttpRequest,
    audit_object: tuple[str, str] | None,
    kwargs: dict[str, Any],
    membership: Membership | None,
    org: str,
) -> None:
    if audit_object is None:
        return
    kind, kwarg = audit_object
    object_uuid: UUID | None = kwargs.get(kwarg)
    organisation = (
        membership.organisation
        if membership is not None
        else Organisation.objects.filter(slug=org).first()
    )
    match = request.resolver_match
    AuditEvent.record(
        action=Action.READ if request.method in {"GET", "HEAD"} else Action.CHANGE,
        object_kind=kind,
        object_uuid=object_uuid,
        outcome=Outcome.DENIED,
        via=Via.HTMX if getattr(request, "htmx", False) else Via.PAGE,
        view=match.view_name if match is not None else "",
        user=request.user,
        membership=membership,
        organisation=organisation,
    )


def member_required(capability: str = "read") -> Callable[[View], View]:
    def decorator(view: View) -> View:
        audit_object = getattr(view, "audit_object", None)
        # Keys in the cache the view reads first (organisations.pagecache).
        cache_keys = getattr(view, "cache_keys", None)

        @login_required
        @functools.wraps(view)
        def wrapper(
            request: OrgRequest, org: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            also = cache_keys(org) if cache_keys is not None else []
            membership = next(
                (
                    m
                    for m in memberships_of(request, also=also)
                    if m.organisation.slug == org
                ),
                None,
            )
            if membership is None:
                _record_refusal(request, audit_object, kwargs, None, org)
                raise Http404
            if membership.needs_mfa and not user_has_totp(request.user):
                messages.warning(
                    request,
                    _(
                        "Your organisation asks people in your role to sign in "
                        "with two factors. Set up an authenticator app to go on."
                    ),
                )
                return redirect("mfa_activate_totp")
            if not membership.can(capability):
                _record_refusal(request, audit_object, kwargs, membership, org)
                raise PermissionDenied
            membership.for_one_request()
            request.membership = membership
            request.organisation = membership.organisation
            # For this request only: the thread serves other organisations next.
            with (
                timezone.override(membership.organisation.time_zone),
                _organisation_language(request, membership),
            ):
                try:
                    return view(request, *args, **kwargs)
                except (Http404, PermissionDenied):
                    _record_refusal(request, audit_object, kwargs, membership, org)
                    raise

        # reason: a mark for the tenant-isolation test, which walks the URLconf.
        wrapper.required_capability = capability  # type: ignore[attr-defined]
        return wrapper

    return decorator
