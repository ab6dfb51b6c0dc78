"""The public pages of an organisation's value base (values/public.py)."""

from __future__ import annotations

from django.urls import path

from . import public

app_name = "public"

urlpatterns = [
    path("", public.value_base, name="value_base"),
    path("accessibility/", public.accessibility, name="accessibility"),
    path("privacy/", public.privacy, name="privacy"),
]
