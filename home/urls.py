"""The organisation's own pages under /o/<org>/, in the namespace `organisations`.

The dashboard lives here, above the apps it gathers from, yet keeps its name
organisations:dashboard: it joins organisations' pages in the one namespace.
"""

from __future__ import annotations

from django.urls import path

from organisations import urls as organisations_urls

from .dashboard import dashboard

app_name = organisations_urls.app_name

urlpatterns = [
    path("", dashboard, name="dashboard"),
    *organisations_urls.urlpatterns,
]
