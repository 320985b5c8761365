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

from newsroom.integrations.api import views

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
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"
    ),
]
