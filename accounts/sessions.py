"""How long a sign-in lasts: an idle timeout and an absolute lifetime.

A session ends after the shortest idle timeout among the person's
organisations (their setting, 30 minutes unless changed) and, however busy
the person is, `SESSION_COOKIE_AGE` after signing in. The time of the last
request is written at most once a minute, so an active session costs one
session write a minute, not one per request.

A form posted after the session ended is not thrown away: the page that says
the person was signed out shows what they typed, to copy and send again.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect, retarget

from core.middleware import GetResponse, HtmxRequest

if TYPE_CHECKING:
    from .models import User

SIGNED_IN_AT = "etikrum_signed_in_at"
LAST_SEEN = "etikrum_last_seen"
IDLE_LIMIT = "etikrum_idle_limit"
# How often the time of the last request is written to the session.
TOUCH_EVERY = 60
# Posted fields that are never shown back, whatever form they came from.
SECRET_FIELDS = ("csrfmiddlewaretoken", "password", "code", "token", "key")


def idle_limit(user: User) -> int:
    """Seconds without a request after which the person is signed out."""
    from organisations.models import Membership

    minutes = (
        Membership.objects.active()
        .filter(user=user)
        .aggregate(shortest=Min("organisation__idle_minutes"))["shortest"]
    )
    return 60 * (minutes or settings.DEFAULT_IDLE_MINUTES)


def start(request: HttpRequest, user: User) -> None:
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[IDLE_LIMIT] = idle_limit(user)


def typed_fields(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, values in request.POST.lists()
        if not any(secret in name.lower() for secret in SECRET_FIELDS)
        for value in values
        if value.strip()
    ]


# After django-htmx's middleware (settings.MIDDLEWARE).
class SessionLimitsMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HtmxRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = int(time.time())
        signed_in_at: int = session.setdefault(SIGNED_IN_AT, now)
        last_seen: int = session.get(LAST_SEEN, now)
        limit: int = session.get(IDLE_LIMIT) or idle_limit(user)
        if now - last_seen > limit or now - signed_in_at > settings.SESSION_COOKIE_AGE:
            return self.signed_out(request, idle=now - last_seen > limit)
        if now - last_seen >= TOUCH_EVERY or LAST_SEEN not in session:
            session[LAST_SEEN] = now
            session[IDLE_LIMIT] = idle_limit(user)
        return self.get_response(request)

    def signed_out(self, request: HtmxRequest, *, idle: bool) -> HttpResponse:
        kept = typed_fields(request) if request.method == "POST" else []
        logout(request)
        message = (
            _("You were signed out after a while without activity.")
            if idle
            else _("You were signed out: a sign-in lasts at most a working day.")
        )
        if kept:
            response = render(
                request,
                "core/signed_out.html",
                {"message": message, "fields": kept, "next": request.path},
                status=401,
            )
            if request.htmx:
                # The whole page, not the fragment the form would have replaced.
                response.status_code = 200
                retarget(response, "body")
            return response
        messages.info(request, message)
        if request.htmx:
            page = request.htmx.current_url_abs_path or "/"
            return HttpResponseClientRedirect(redirect_to_login(page).url)
        return redirect_to_login(request.get_full_path())
