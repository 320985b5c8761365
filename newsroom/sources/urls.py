"""URLs of the sources app, included at the site root (before ``desk/``)."""

from __future__ import annotations

from django.urls import path

from newsroom.sources import views

app_name = "sources"

urlpatterns = [
    path("api/v1/signals/webhook/<str:token>/", views.webhook, name="webhook"),
    path("live/<slug:slug>/report/", views.reader_report, name="reader_report"),
    path(
        "desk/suggestions/<int:suggestion_id>/publish/",
        views.suggestion_publish,
        name="suggestion_publish",
    ),
    path(
        "desk/suggestions/<int:suggestion_id>/dismiss/",
        views.suggestion_dismiss,
        name="suggestion_dismiss",
    ),
    path("desk/watches/<slug:slug>/", views.article_watches, name="article_watches"),
    path("desk/sources/<slug:slug>/", views.sources_manage, name="manage"),
    path("desk/sources/edit/<int:source_id>/", views.source_edit, name="edit"),
]
