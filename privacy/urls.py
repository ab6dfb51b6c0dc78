from __future__ import annotations

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("my-data.json", views.my_data, name="my_data"),
    path("forget-me/", views.forget_me, name="forget_me"),
]
