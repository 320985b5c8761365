from __future__ import annotations

from django.urls import path

from liveblog import distribution, embeds, views

app_name = "liveblog"

urlpatterns = [
    path("", views.article_list, name="index"),
    path("live/<slug:slug>/", views.article_page, name="article"),
    path("live/<slug:slug>/updates/<int:update_id>/", views.update_page, name="update"),
    path("live/<slug:slug>/feed/", distribution.article_cached(views.ArticleFeed()), name="feed"),
    path("live/<slug:slug>/feed.json", distribution.json_feed, name="json_feed"),
    path("api/v1/articles/<slug:slug>/events/", views.events, name="events"),
    path("embed/<slug:slug>/", embeds.embed_article, name="embed"),
    path("embed/<slug:slug>/updates/<int:update_id>/", embeds.embed_update, name="embed_update"),
    path("oembed/", embeds.oembed, name="oembed"),
    path("sitemap.xml", distribution.sitemap, name="sitemap"),
    path("robots.txt", distribution.robots_txt, name="robots"),
]
