from __future__ import annotations

from django.urls import path

from .scim import discovery, groups, protocol, views

# Included at /scim/v2/ by config/urls.py; the token names the organisation.
app_name = "scim"

urlpatterns = [
    path(
        "ServiceProviderConfig",
        discovery.service_provider_config,
        name="service_provider_config",
    ),
    path("ResourceTypes", discovery.resource_types, name="resource_types"),
    path(
        "ResourceTypes/<str:resource_id>",
        discovery.resource_type,
        name="resource_type",
    ),
    path("Schemas", discovery.schemas, name="schemas"),
    path("Schemas/<str:resource_id>", discovery.schema, name="schema"),
    path("Users", views.user_list, name="users"),
    path("Users/.search", views.user_search, name="user_search"),
    path("Users/<str:resource_id>", views.user, name="user"),
    path("Groups", groups.group_list, name="groups"),
    path("Groups/.search", groups.group_search, name="group_search"),
    path("Groups/<str:resource_id>", groups.group, name="group"),
    path(".search", protocol.search_everything, name="search"),
    path("<path:rest>", protocol.not_found),
]
