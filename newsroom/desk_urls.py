from __future__ import annotations

from django.urls import path

from newsroom import views

app_name = "newsroom"

urlpatterns = [
    path("", views.desk_home, name="home"),
    path("new/", views.article_new, name="article_new"),
    path("preview/", views.preview, name="preview"),
    path("newsrooms/<slug:slug>/", views.newsroom_manage, name="manage"),
    path("updates/<int:update_id>/edit/", views.update_edit, name="update_edit"),
    path("updates/<int:update_id>/strike/", views.update_strike, name="update_strike"),
    path("updates/<int:update_id>/delete/", views.update_delete, name="update_delete"),
    path("updates/<int:update_id>/pin/", views.update_pin, name="update_pin"),
    path("updates/<int:update_id>/publish/", views.update_publish_draft, name="update_publish_draft"),
    path("<slug:slug>/", views.article_desk, name="article"),
    path("<slug:slug>/post/", views.update_post, name="update_post"),
    path("<slug:slug>/unpin/", views.article_unpin, name="article_unpin"),
    path("<slug:slug>/status/", views.article_status, name="article_status"),
    path("<slug:slug>/settings/", views.article_settings, name="article_settings"),
]
