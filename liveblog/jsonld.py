"""schema.org ``LiveBlogPosting`` for the reader page, so search engines show the
coverage as live."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from liveblog.conf import liveblog_settings

if TYPE_CHECKING:
    from liveblog.models import LiveArticle, Update


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def live_blog_posting(
    article: LiveArticle, updates: list[Update], *, labels: dict[int, str]
) -> dict[str, Any]:
    """The JSON-LD object: one ``BlogPosting`` per update shown on the page."""
    base = liveblog_settings.SITE_URL
    url = f"{base}{article.get_absolute_url()}"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": url,
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "inLanguage": article.language,
        "datePublished": _iso(article.coverage_start or article.created_at),
        "dateModified": _iso(article.modified_at),
        "coverageStartTime": _iso(article.coverage_start or article.created_at),
        "publisher": {
            "@type": "Organization",
            "name": article.newsroom.name,
            **({"url": article.newsroom.url} if article.newsroom.url else {}),
        },
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": labels.get(update.pk, ""),
                "articleBody": update.body_text,
                "datePublished": _iso(update.published_at),
                **({"dateModified": _iso(update.edited_at)} if update.edited_at else {}),
                "url": f"{url}#{update.anchor}",
            }
            for update in updates
        ],
    }
    if article.coverage_end:
        data["coverageEndTime"] = _iso(article.coverage_end)
    return data


def encode(data: dict[str, Any]) -> str:
    """JSON safe to place inside a <script type="application/ld+json"> element."""
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
