from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


def _superusers_only(request: HttpRequest) -> bool:
    # Organisation admins work in the product's own pages; the Django admin is
    # for the people who operate the service.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only
admin.site.site_header = "Etikrum"
