"""A person's calendar subscription: the page that issues its secret address,
and the feed that calendar programs read from it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meetings import ics
from meetings.forms import CalendarFeedForm
from meetings.models import CalendarFeed
from organisations.access import OrgRequest, member_required
from organisations.models import Capability

# What a calendar subscription shows of the past.
FEED_HISTORY = timedelta(days=90)


@require_http_methods(["GET", "POST"])
@member_required()
def calendar_subscription(request: OrgRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(membership=request.membership).first()
    is_manager = request.membership.can(Capability.MANAGE)
    form = CalendarFeedForm(
        request.POST if request.method == "POST" else None,
        initial={"scope": feed.scope if feed else CalendarFeed.Scope.MINE},
    )
    feed_url = None
    if request.method == "POST" and form.is_valid():
        scope = (is_manager and form.cleaned_data["scope"]) or CalendarFeed.Scope.MINE
        if feed is not None and "keep" in request.POST:
            # The address stays; only what it shows changes.
            feed.scope = scope
            feed.save(update_fields=["scope"])
            messages.success(request, _("Your subscription now shows what you chose."))
        else:
            with transaction.atomic():
                token = CalendarFeed.issue(request.membership, scope)
            feed_url = request.build_absolute_uri(
                reverse("calendar_feed", kwargs={"token": token})
            )
        feed = CalendarFeed.objects.get(membership=request.membership)
    response = render(
        request,
        "meetings/calendar.html",
        {
            "feed_url": feed_url,
            "feed": feed,
            "has_feed": feed is not None,
            "form": form if is_manager else None,
        },
    )
    # The address is shown once and is a secret: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's meetings for calendar programs, reached by a secret token only."""
    feed = CalendarFeed.for_token(token)
    if feed is None:
        raise Http404
    membership = feed.membership
    meetings = (
        feed.meetings()
        .filter(end__gte=timezone.now() - FEED_HISTORY)
        .select_related("series", "organisation", "group")
    )
    language = membership.user.language or membership.organisation.language
    with translation.override(language):
        if feed.scope == CalendarFeed.Scope.UNITS:
            name = _("%(organisation)s: meetings of your units")
        else:
            name = _("%(organisation)s: your reflection meetings")
        body = ics.feed(
            meetings, name=name % {"organisation": membership.organisation.name}
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
