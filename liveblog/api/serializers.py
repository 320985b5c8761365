"""Shapes of the public read API (articles and published updates)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from liveblog.conf import liveblog_settings
from liveblog.models import LiveArticle, Update


class NewsroomSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class ArticleSerializer(serializers.ModelSerializer):
    newsroom = NewsroomSummarySerializer(read_only=True)
    url = serializers.SerializerMethodField()
    pinned_update = serializers.IntegerField(
        source="pinned_update_id", read_only=True, allow_null=True
    )
    links = serializers.SerializerMethodField()

    class Meta:
        model = LiveArticle
        fields = [
            "slug",
            "title",
            "summary",
            "status",
            "language",
            "time_zone",
            "seq",
            "coverage_start",
            "coverage_end",
            "modified_at",
            "newsroom",
            "pinned_update",
            "url",
            "links",
        ]
        read_only_fields = fields

    def get_url(self, article: LiveArticle) -> str:
        return f"{liveblog_settings.SITE_URL}{article.get_absolute_url()}"

    def get_links(self, article: LiveArticle) -> dict[str, str]:
        base = f"{liveblog_settings.SITE_URL}"
        return {
            "updates": f"{base}/api/v1/articles/{article.slug}/updates/",
            "events": f"{base}/api/v1/articles/{article.slug}/events/?since=0",
            "atom": f"{base}/live/{article.slug}/feed/",
            "json_feed": f"{base}/live/{article.slug}/feed.json",
            "embed": f"{base}/embed/{article.slug}/",
        }


class UpdateSerializer(serializers.ModelSerializer):
    html = serializers.CharField(source="body_html", read_only=True)
    is_struck = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Update
        fields = [
            "id",
            "seq",
            "kind",
            "state",
            "body",
            "html",
            "revision",
            "published_at",
            "edited_at",
            "is_struck",
            "struck_at",
            "strike_reason",
            "source_name",
            "source_url",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, update: Update) -> str:
        article: Any = self.context.get("article") or update.article
        return f"{liveblog_settings.SITE_URL}/live/{article.slug}/updates/{update.pk}/"
