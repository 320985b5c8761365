"""Distribution: the JSON Feed of an article, the sitemap, robots.txt, and the
caching wrapper for public reads defined elsewhere (the Atom feed, the update
page), so every public read answers conditional requests with 304."""

from __future__ import annotations

import functools
from typing import Any, Callable

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from liveblog import caching, selectors
from liveblog.conf import liveblog_settings
from liveblog.models import ArticleStatus, LiveArticle
from liveblog.presentation import article_today
from liveblog.timelabels import update_label

FEED_ITEMS = 50  # the same window as the Atom feed
SITEMAP_MAX_AGE = 300  # search engines fetch it rarely; five minutes is plenty


def article_cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Give a public per-article view (``slug`` in its URL) seq-keyed validators:
    a 304 before the view runs when the client's copy is current, else the
    view's answer with ETag, Last-Modified and public Cache-Control."""

    @functools.wraps(view)
    def wrapped(
        request: HttpRequest, *args: Any, slug: str, **kwargs: Any
    ) -> HttpResponse:
        article = selectors.article_for_reader(slug=slug)
        etag = caching.article_etag(
            article, request.path, request.GET.urlencode(), article_today(article)
        )
        max_age = liveblog_settings.PAGE_MAX_AGE
        cached = caching.not_modified(
            request, etag=etag, last_modified=article.modified_at, max_age=max_age
        )
        if cached is not None:
            return cached  # type: ignore[return-value]
        response = view(request, *args, slug=slug, **kwargs)
        if response.status_code != 200:
            return response
        return caching.public(  # type: ignore[return-value]
            response, etag=etag, last_modified=article.modified_at, max_age=max_age
        )

    return wrapped


@require_GET
def json_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """JSON Feed 1.1 of the article's latest published updates."""
    article = selectors.article_for_reader(slug=slug)
    today = article_today(article)
    etag = caching.article_etag(article, "jsonfeed", today)
    max_age = liveblog_settings.PAGE_MAX_AGE
    cached = caching.not_modified(
        request, etag=etag, last_modified=article.modified_at, max_age=max_age
    )
    if cached is not None:
        return cached  # type: ignore[return-value]
    site = liveblog_settings.SITE_URL
    updates = list(selectors.published_updates(article).order_by("-seq")[:FEED_ITEMS])
    items = []
    for update in updates:
        url = f"{site}/live/{article.slug}/updates/{update.pk}/"
        item: dict[str, Any] = {
            "id": url,
            "url": url,
            "title": update_label(
                update.published_at,
                kind=update.kind,
                time_zone=article.time_zone,
                language=article.language,
                today=today,
            ),
            "content_html": update.body_html,
            "content_text": update.body,
            "date_published": update.published_at.isoformat()
            if update.published_at
            else None,
        }
        if update.edited_at:
            item["date_modified"] = update.edited_at.isoformat()
        if update.kind != "update":
            item["tags"] = [update.kind]
        items.append(item)
    body = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": article.title,
        "home_page_url": f"{site}{article.get_absolute_url()}",
        "feed_url": f"{site}{article.get_absolute_url()}feed.json",
        "description": article.summary,
        "language": article.language,
        "authors": [
            {"name": article.newsroom.name, "url": article.newsroom.url or site}
        ],
        "items": items,
    }
    response = JsonResponse(body, content_type="application/feed+json")
    return caching.public(  # type: ignore[return-value]
        response, etag=etag, last_modified=article.modified_at, max_age=max_age
    )


class LiveArticleSitemap(Sitemap):
    """Live and ended articles; live ones change by the minute."""

    protocol = "https" if liveblog_settings.SITE_URL.startswith("https") else "http"
    limit = 5000

    def items(self) -> Any:
        return selectors.public_articles()

    def location(self, article: LiveArticle) -> str:
        return article.get_absolute_url()

    def lastmod(self, article: LiveArticle) -> Any:
        return article.modified_at

    def changefreq(self, article: LiveArticle) -> str:
        return "always" if article.status == ArticleStatus.LIVE else "daily"

    def priority(self, article: LiveArticle) -> float:
        return 1.0 if article.status == ArticleStatus.LIVE else 0.5

    def get_domain(self, site: Any = None) -> str:
        # No django.contrib.sites: the public base URL names the domain.
        return liveblog_settings.SITE_URL.split("://", 1)[1]


SITEMAPS = {"live": LiveArticleSitemap}


def sitemap(request: HttpRequest) -> HttpResponse:
    from django.contrib.sitemaps.views import sitemap as django_sitemap

    response = django_sitemap(request, sitemaps=SITEMAPS)
    response.render()
    response["Cache-Control"] = (
        f"public, max-age={SITEMAP_MAX_AGE}, "
        f"stale-while-revalidate={SITEMAP_MAX_AGE * caching.STALE_FACTOR}"
    )
    return response


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Readers' pages are for search engines; the desk, API and embeds are not."""
    lines = [
        "User-agent: *",
        "Disallow: /desk/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "Disallow: /embed/",
        "Allow: /",
        f"Sitemap: {liveblog_settings.SITE_URL}/sitemap.xml",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
