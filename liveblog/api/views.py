"""The public read API: articles and their published updates.

No authentication, cacheable by any CDN: each answer carries an ETag keyed on
the article's seq, Last-Modified and ``Cache-Control: public``, and a
conditional request is answered 304 before any query for the content.  The
write API (``newsroom.integrations.api``) subclasses these views, so a URL
reads the same with or without a token.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from liveblog import caching, selectors
from liveblog.api.serializers import ArticleSerializer, UpdateSerializer
from liveblog.conf import liveblog_settings
from liveblog.models import LiveArticle


class UpdateCursor(CursorPagination):
    """Newest first, by seq: a cursor stays valid while updates are posted."""

    ordering = "-seq"
    page_size = 20
    page_size_query_param = "limit"
    max_page_size = 100


class ArticleCursor(CursorPagination):
    ordering = "-modified_at"
    page_size = 20
    page_size_query_param = "limit"
    max_page_size = 100


class PublicReadView(generics.GenericAPIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    def cached(
        self, response: Response, *, article: LiveArticle, etag: str
    ) -> Response:
        return caching.public(  # type: ignore[return-value]
            response,
            etag=etag,
            last_modified=article.modified_at,
            max_age=liveblog_settings.EVENTS_MAX_AGE,
        )

    def not_modified(self, request: Request, *, article: LiveArticle, etag: str) -> Any:
        return caching.not_modified(
            request,
            etag=etag,
            last_modified=article.modified_at,
            max_age=liveblog_settings.EVENTS_MAX_AGE,
        )


class ArticleList(PublicReadView, generics.ListAPIView):
    """Public (live and ended) articles, most recently changed first."""

    serializer_class = ArticleSerializer
    pagination_class = ArticleCursor

    def get_queryset(self) -> Any:
        return selectors.public_articles().order_by("-modified_at")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        max_age = liveblog_settings.EVENTS_MAX_AGE
        response["Cache-Control"] = (
            f"public, max-age={max_age}, "
            f"stale-while-revalidate={max_age * caching.STALE_FACTOR}"
        )
        return response


class ArticleDetail(PublicReadView):
    """One public article with its seq and links to its updates, events and feeds."""

    serializer_class = ArticleSerializer

    def get(self, request: Request, slug: str) -> Any:
        article = selectors.article_for_reader(slug=slug)
        etag = caching.article_etag(article, "api")
        return self.not_modified(request, article=article, etag=etag) or self.cached(
            Response(ArticleSerializer(article).data), article=article, etag=etag
        )


@extend_schema(
    parameters=[
        OpenApiParameter("limit", int, description="Updates per page (at most 100).")
    ]
)
class UpdateList(PublicReadView, generics.ListAPIView):
    """Published updates of a public article, newest first, by cursor on seq."""

    serializer_class = UpdateSerializer
    pagination_class = UpdateCursor

    def get_queryset(self) -> Any:
        return selectors.published_updates(self.article)

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "article": getattr(self, "article", None),
        }

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        self.article = selectors.article_for_reader(slug=kwargs["slug"])
        etag = caching.article_etag(self.article, "u", request.GET.urlencode())
        return self.not_modified(
            request, article=self.article, etag=etag
        ) or self.cached(
            self.list(request, *args, **kwargs), article=self.article, etag=etag
        )


class UpdateDetail(PublicReadView):
    """One published update of a public article."""

    serializer_class = UpdateSerializer

    def get(self, request: Request, slug: str, update_id: int) -> Any:
        article = selectors.article_for_reader(slug=slug)
        etag = caching.article_etag(article, "update", update_id)
        cached = self.not_modified(request, article=article, etag=etag)
        if cached is not None:
            return cached
        update = selectors.published_updates(article).filter(pk=update_id).first()
        if update is None:
            raise Http404("This update is not published.")
        data = UpdateSerializer(update, context={"article": article}).data
        return self.cached(Response(data), article=article, etag=etag)
