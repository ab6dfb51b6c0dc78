from __future__ import annotations

from django.urls import path

from . import views

app_name = "provisioning"

urlpatterns = [
    path("", views.index, name="index"),
    path("tokens/", views.token_add, name="token_add"),
    path("tokens/<uuid:token_uuid>/revoke/", views.token_revoke, name="token_revoke"),
    path("rules/", views.mapping_add, name="mapping_add"),
    path("rules/<int:mapping_id>/delete/", views.mapping_delete, name="mapping_delete"),
    path("sign-in/", views.sign_in_settings, name="sign_in"),
]
