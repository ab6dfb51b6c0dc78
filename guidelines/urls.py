from __future__ import annotations

from django.urls import path

from . import views

app_name = "guidelines"

# Mounted beside the value base's own addresses (config/urls.py), so a
# guideline's link keeps the form it has always had.
urlpatterns = [
    path("<slug:base>/guidelines/", views.for_me, name="for_me"),
    path("<slug:base>/guidelines/<slug:key>/history/", views.history, name="history"),
    path(
        "<slug:base>/v/<int:number>/guidelines/<slug:key>/",
        views.detail,
        name="detail",
    ),
]
