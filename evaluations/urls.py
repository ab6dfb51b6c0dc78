from __future__ import annotations

from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("<uuid:reflection_uuid>/", views.answer, name="answer"),
    path("<uuid:reflection_uuid>/results/", views.results, name="results"),
    path("<uuid:reflection_uuid>/close/", views.close, name="close"),
]
