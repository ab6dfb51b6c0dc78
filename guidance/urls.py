from __future__ import annotations

from django.urls import path

from . import views

app_name = "guidance"

urlpatterns = [
    path("", views.index, name="index"),
    path("glossary/", views.glossary, name="glossary"),
    path("guides/<slug:key>/", views.method_guide, name="method_guide"),
    path("welcome/dismiss/", views.dismiss, name="dismiss"),
]
