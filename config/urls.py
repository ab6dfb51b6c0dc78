from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from home import patterns
from home import views as home_views
from meetings.views import answer_link as meeting_answer_link
from meetings.views import calendar as meeting_calendar
from organisations import invitation_link

urlpatterns = [
    path("", home_views.home, name="home"),
    path("language/", home_views.set_language, name="set_language"),
    path("profile/", home_views.profile, name="profile"),
    path("profile/", include("privacy.urls")),
    path("healthz", home_views.health, name="health"),
    path("patterns/", patterns.patterns, name="patterns"),
    path("accounts/email/", accounts_views.email, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path(
        "invitations/continue/",
        invitation_link.invitation_continue,
        name="invitation_continue",
    ),
    # The signed token is the invitation; see organisations.models.Invitation.
    path(
        "invitations/<str:token>/",
        invitation_link.invitation_accept,
        name="invitation_accept",
    ),
    # The value base in public, when the organisation publishes it; no sign-in.
    path("public/<slug:org>/", include("values.public_urls")),
    path("o/<slug:org>/", include("home.urls")),
    path("o/<slug:org>/", include("meetings.urls")),
    # The secret token is the only credential; see docs/meetings.md.
    path(
        "calendar/<str:token>.ics", meeting_calendar.calendar_feed, name="calendar_feed"
    ),
    # One answer to one meeting from an e-mail, by a signed token; no sign-in.
    path(
        "answer/<str:token>/", meeting_answer_link.answer_by_link, name="answer_by_link"
    ),
    path("o/<slug:org>/values/", include("guidelines.urls")),
    path("o/<slug:org>/values/", include("values.urls")),
    path("o/<slug:org>/values/", include("acknowledgements.urls")),
    path("o/<slug:org>/dilemmas/", include("dilemmas.urls")),
    path("o/<slug:org>/practice/", include("practice.urls")),
    path("o/<slug:org>/", include("reflections.urls")),
    path("o/<slug:org>/evaluations/", include("evaluations.urls")),
    path("o/<slug:org>/insights/", include("insights.urls")),
    path("o/<slug:org>/audit/", include("audit.urls")),
    path("o/<slug:org>/help/", include("guidance.urls")),
    path("o/<slug:org>/directory/", include("provisioning.urls")),
    # SCIM 2.0 for the organisation's directory; a bearer token names the
    # organisation (docs/onboarding.md).
    path("scim/v2/", include("provisioning.scim_urls")),
    path("django-admin/", admin.site.urls),
]
