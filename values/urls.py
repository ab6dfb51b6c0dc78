from __future__ import annotations

from django.urls import path

from . import views, word_views

app_name = "values"

version = "<slug:base>/v/<int:number>/"
edit = version + "edit/"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:base>/", views.in_force, name="in_force"),
    path("<slug:base>/versions/", views.version_list, name="version_list"),
    path("<slug:base>/search/", views.search, name="search"),
    path("<slug:base>/compare/", views.compare, name="compare"),
    path("<slug:base>/import/", views.import_draft, name="import"),
    path("<slug:base>/import/word/", word_views.import_word, name="import_word"),
    path("<slug:base>/draft/", views.draft_start, name="draft_start"),
    path(version, views.version_detail, name="version_detail"),
    path(version + "export/", views.export, name="export"),
    path(version + "export/word/", views.export_word, name="export_word"),
    path(version + "values/<slug:key>/", views.value_detail, name="value_detail"),
    path(edit, views.draft_edit, name="draft_edit"),
    path(edit + "details/", views.draft_details, name="draft_details"),
    path(edit + "<slug:kind>/add/", views.item_add, name="item_add"),
    path(edit + "<slug:kind>/<int:item_id>/", views.item_edit, name="item_edit"),
    path(
        edit + "<slug:kind>/<int:item_id>/delete/",
        views.item_delete,
        name="item_delete",
    ),
    path(edit + "<slug:kind>/<int:item_id>/move/", views.item_move, name="item_move"),
    path(version + "adopt/", views.adopt, name="adopt"),
    path(version + "discard/", views.discard, name="discard"),
]
