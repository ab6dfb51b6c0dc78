from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from core import views as core_views
from meetings import views as meetings_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("language/", core_views.set_language, name="set_language"),
    path("profile/", core_views.profile, name="profile"),
    path("healthz", core_views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("o/<slug:org>/", include("organisations.urls")),
    path("o/<slug:org>/", include("meetings.urls")),
    # The secret token is the only credential; see docs/meetings.md.
    path(
        "calendar/<str:token>.ics", meetings_views.calendar_feed, name="calendar_feed"
    ),
    path("o/<slug:org>/values/", include("guidelines.urls")),
    path("o/<slug:org>/values/", include("values.urls")),
    path("o/<slug:org>/dilemmas/", include("dilemmas.urls")),
    path("o/<slug:org>/", include("reflections.urls")),
    path("django-admin/", admin.site.urls),
]
