from __future__ import annotations

from django.urls import path

from . import views

app_name = "dilemmas"

urlpatterns = [
    path("", views.dilemma_list, name="list"),
    path("new/", views.dilemma_create, name="create"),
    path("<uuid:dilemma_uuid>/", views.dilemma_detail, name="detail"),
    path("<uuid:dilemma_uuid>/edit/", views.dilemma_change, name="change"),
    path("<uuid:dilemma_uuid>/status/", views.dilemma_status, name="status"),
]
