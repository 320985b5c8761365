"""``/api/``: the v1 API (public reads + token writes), its schema and docs.

The events endpoint ``v1/articles/<slug>/events/`` stays in ``liveblog.urls``
(a plain, pre-encoded JSON view); its place in the schema is added by
``newsroom.integrations.api.schema``.

Other apps plug their endpoints in here: add a module with DRF views and
append its ``path(...)`` entries to ``v1`` below (see the README, "API").
"""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from newsroom.integrations.api import sources, views

app_name = "api"

v1 = [
    path("articles/", views.ArticleList.as_view(), name="articles"),
    path("articles/<slug:slug>/", views.ArticleDetail.as_view(), name="article"),
    path(
        "articles/<slug:slug>/pin/", views.ArticleUnpin.as_view(), name="article-unpin"
    ),
    path("articles/<slug:slug>/updates/", views.UpdateList.as_view(), name="updates"),
    path(
        "articles/<slug:slug>/updates/<int:update_id>/",
        views.UpdateDetail.as_view(),
        name="update",
    ),
    path(
        "articles/<slug:slug>/updates/<int:update_id>/strike/",
        views.UpdateStrike.as_view(),
        name="update-strike",
    ),
    path(
        "articles/<slug:slug>/updates/<int:update_id>/pin/",
        views.UpdatePin.as_view(),
        name="update-pin",
    ),
    path(
        "articles/<slug:slug>/updates/<int:update_id>/publish/",
        views.UpdatePublishDraft.as_view(),
        name="update-publish",
    ),
    # Outage signals (newsroom.sources): suggestions, sources, watches.
    path(
        "articles/<slug:slug>/suggestions/",
        sources.ArticleSuggestions.as_view(),
        name="article-suggestions",
    ),
    path(
        "suggestions/<int:suggestion_id>/publish/",
        sources.SuggestionPublish.as_view(),
        name="suggestion-publish",
    ),
    path(
        "suggestions/<int:suggestion_id>/dismiss/",
        sources.SuggestionDismiss.as_view(),
        name="suggestion-dismiss",
    ),
    path(
        "newsrooms/<slug:slug>/sources/",
        sources.NewsroomSources.as_view(),
        name="newsroom-sources",
    ),
    path("sources/<int:source_id>/", sources.SourceDetail.as_view(), name="source"),
    path(
        "sources/<int:source_id>/rotate-token/",
        sources.SourceRotateToken.as_view(),
        name="source-rotate-token",
    ),
    path(
        "articles/<slug:slug>/sources/",
        sources.ArticleSources.as_view(),
        name="article-sources",
    ),
    path(
        "articles/<slug:slug>/sources/<int:source_id>/",
        sources.ArticleSourceWatch.as_view(),
        name="article-source-watch",
    ),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"
    ),
]
