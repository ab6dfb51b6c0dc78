from __future__ import annotations

from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.export, name="export"),
]
