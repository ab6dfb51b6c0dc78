"""The organisation's own pages under /o/<org>/, in the namespace `organisations`.

The dashboard lives here, above the apps it gathers from, yet keeps its name
organisations:dashboard: it joins organisations' pages in the one namespace.
"""

from __future__ import annotations

from django.urls import path

from organisations import urls as organisations_urls

from . import setup
from .dashboard import dashboard

app_name = organisations_urls.app_name

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("setup/", setup.checklist, name="setup"),
    path("setup/finish/", setup.finish, name="setup_finish"),
    path("setup/value-base/", setup.start_value_base, name="setup_value_base"),
    path("setup/steps/<slug:step>/", setup.mark, name="setup_mark"),
    *organisations_urls.urlpatterns,
]
