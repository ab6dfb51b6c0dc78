from __future__ import annotations

from django.urls import path

from . import views

app_name = "acknowledgements"

version = "<slug:base>/v/<int:number>/"

urlpatterns = [
    path(version + "changes/", views.changes, name="changes"),
    path(version + "changes/confirm/", views.acknowledge, name="acknowledge"),
    path(version + "confirmations/", views.confirmations, name="confirmations"),
    path(version + "confirmations/remind/", views.remind, name="remind"),
    path(
        version + "confirmations.csv",
        views.confirmations_csv,
        name="confirmations_csv",
    ),
]
