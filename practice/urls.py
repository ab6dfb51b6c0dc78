from __future__ import annotations

from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<uuid:case_uuid>/", views.case_detail, name="detail"),
    path("<uuid:case_uuid>/edit/", views.case_change, name="change"),
]
