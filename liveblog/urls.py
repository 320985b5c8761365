from __future__ import annotations

from django.urls import path

from liveblog import views

app_name = "liveblog"

urlpatterns = [
    path("", views.article_list, name="index"),
    path("live/<slug:slug>/", views.article_page, name="article"),
    path("live/<slug:slug>/updates/<int:update_id>/", views.update_page, name="update"),
    path("live/<slug:slug>/feed/", views.ArticleFeed(), name="feed"),
    path("api/v1/articles/<slug:slug>/events/", views.events, name="events"),
]
