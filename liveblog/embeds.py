"""Embeds: the live article (and one update) in an iframe on other sites, and
the oEmbed endpoint that lets a CMS embed by URL.

Framing is the one thing that differs from the reader page: these views are
exempt from ``X-Frame-Options: DENY`` and their CSP ``frame-ancestors`` lists
the newsroom's allowed embedding origins (``Newsroom.embed_origins``: "*" or
one origin per line).  Everything else is the reader page's: the same HTML
regions, the same live socket protocol (``live.js``), the same caching.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from liveblog import caching, selectors
from liveblog.conf import liveblog_settings
from liveblog.models import LiveArticle
from liveblog.presentation import (
    article_today,
    render_header,
    render_key_event,
    render_pinned,
    render_update_card,
    words,
)

THEMES = ("light", "dark", "auto")
MAX_LIMIT = 50  # an embed is a window on the coverage, not an archive
DEFAULT_WIDTH, DEFAULT_HEIGHT = 600, 800  # oEmbed sizes when the consumer sets none
OEMBED_CACHE_AGE = 3600  # the oEmbed HTML only names the slug: it never goes stale
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")
_ARTICLE_PATH = re.compile(r"^/live/(?P<slug>[-\w]+)/(updates/(?P<update>\d+)/)?$")


def frame_ancestors(embed_origins: str) -> list[str]:
    """The CSP ``frame-ancestors`` sources for a newsroom's ``embed_origins``.

    "*" allows any site; otherwise each well-formed origin line is allowed
    (malformed lines are ignored: fail closed).  This site may always frame its
    own embeds (previews on the desk).
    """
    lines = [line.strip().rstrip("/") for line in (embed_origins or "").splitlines()]
    if "*" in lines:
        return ["*"]
    return ["'self'", *[line for line in lines if _ORIGIN.match(line)]]


def _embeddable(response: HttpResponse, article: LiveArticle) -> HttpResponse:
    response._csp_replace = {  # type: ignore[attr-defined]
        "frame-ancestors": frame_ancestors(article.newsroom.embed_origins)
    }
    return response


def _int_option(value: str | None, *, default: int, low: int, high: int) -> int:
    if value is None or not value.isdigit():
        return default
    return max(low, min(high, int(value)))


@xframe_options_exempt
@require_GET
def embed_article(request: HttpRequest, slug: str) -> HttpResponse:
    """The live stream for an iframe; options theme, limit, pinned and lang.

    ``lang`` sets the embed's own words; update cards keep the article's
    language, as they are rendered once for every reader.
    """
    article = selectors.article_for_reader(slug=slug)
    theme = request.GET.get("theme", "auto")
    theme = theme if theme in THEMES else "auto"
    limit = _int_option(
        request.GET.get("limit"),
        default=liveblog_settings.PAGE_SIZE,
        low=1,
        high=MAX_LIMIT,
    )
    show_pinned = request.GET.get("pinned", "1") != "0"
    language = request.GET.get("lang") or article.language
    language = language if language in ("en", "es") else article.language
    today = article_today(article)
    etag = caching.article_etag(
        article, "embed", theme, limit, show_pinned, language, today
    )
    max_age = liveblog_settings.PAGE_MAX_AGE
    cached = caching.not_modified(
        request, etag=etag, last_modified=article.modified_at, max_age=max_age
    )
    if cached is not None:
        return _embeddable(cached, article)  # type: ignore[arg-type]
    page = selectors.stream_page(article=article, limit=limit)
    context = {
        "article": article,
        "theme": theme,
        "limit": limit,
        "language": language,
        "w": words(language),
        "header_html": render_header(article, today=today),
        "pinned_html": render_pinned(article, today=today) if show_pinned else "",
        "show_pinned": show_pinned,
        "cards": [
            render_update_card(u, article=article, today=today) for u in page.updates
        ],
        "key_events": [
            render_key_event(u, article=article, today=today)
            for u in selectors.key_events(article=article)
        ],
        "site_url": liveblog_settings.SITE_URL,
    }
    response = render(request, "liveblog/embed.html", context)
    caching.public(
        response, etag=etag, last_modified=article.modified_at, max_age=max_age
    )
    return _embeddable(response, article)


@xframe_options_exempt
@require_GET
def embed_update(request: HttpRequest, slug: str, update_id: int) -> HttpResponse:
    """One published update, embeddable like a social post."""
    article = selectors.article_for_reader(slug=slug)
    theme = request.GET.get("theme", "auto")
    theme = theme if theme in THEMES else "auto"
    today = article_today(article)
    etag = caching.article_etag(article, "embed-update", update_id, theme, today)
    max_age = liveblog_settings.PAGE_MAX_AGE
    cached = caching.not_modified(
        request, etag=etag, last_modified=article.modified_at, max_age=max_age
    )
    if cached is not None:
        return _embeddable(cached, article)  # type: ignore[arg-type]
    update = selectors.published_updates(article).filter(pk=update_id).first()
    if update is None:
        raise Http404("This update is not published.")
    context = {
        "article": article,
        "update": update,
        "theme": theme,
        "w": words(article.language),
        "card_html": render_update_card(update, article=article, today=today),
        "site_url": liveblog_settings.SITE_URL,
    }
    response = render(request, "liveblog/embed_update.html", context)
    caching.public(
        response, etag=etag, last_modified=article.modified_at, max_age=max_age
    )
    return _embeddable(response, article)


def embed_snippet(*, article: LiveArticle, update_id: int | None = None) -> str:
    """The HTML a host page carries: a plain link that ``embed.js`` upgrades."""
    site = liveblog_settings.SITE_URL
    url = f"{site}{article.get_absolute_url()}"
    attributes = f'data-livedesk="{escape(article.slug)}"'
    if update_id is not None:
        url = f"{url}updates/{update_id}/"
        attributes += f' data-update="{update_id}"'
    return (
        f'<div {attributes}><a href="{escape(url)}">{escape(article.title)}</a></div>'
        f'<script async src="{site}{static("liveblog/embed.js")}"></script>'
    )


@require_GET
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed 1.0 for an article or update URL of this site: a ``rich`` response."""
    if request.GET.get("format", "json") != "json":
        return JsonResponse({"error": "Only format=json is supported."}, status=501)
    url = request.GET.get("url", "")
    parts = urlsplit(url)
    own_hosts = {urlsplit(liveblog_settings.SITE_URL).netloc, request.get_host()}
    match = _ARTICLE_PATH.match(parts.path)
    if (
        parts.scheme not in ("http", "https")
        or parts.netloc not in own_hosts
        or not match
    ):
        return JsonResponse(
            {"error": "Not a live article URL of this site."}, status=404
        )
    article = selectors.article_for_reader(slug=match["slug"])
    update_id = int(match["update"]) if match["update"] else None
    if (
        update_id is not None
        and not selectors.published_updates(article).filter(pk=update_id).exists()
    ):
        raise Http404("This update is not published.")
    width = _int_option(
        request.GET.get("maxwidth"), default=DEFAULT_WIDTH, low=200, high=DEFAULT_WIDTH
    )
    height = _int_option(
        request.GET.get("maxheight"),
        default=DEFAULT_HEIGHT,
        low=100,
        high=DEFAULT_HEIGHT,
    )
    body: dict[str, Any] = {
        "version": "1.0",
        "type": "rich",
        "title": article.title,
        "author_name": article.newsroom.name,
        "provider_name": article.newsroom.name,
        "provider_url": article.newsroom.url or liveblog_settings.SITE_URL,
        "html": embed_snippet(article=article, update_id=update_id),
        "width": width,
        "height": height,
        "cache_age": OEMBED_CACHE_AGE,
    }
    response = JsonResponse(body)
    etag = caching.article_etag(
        article, "oembed", urlencode(sorted(request.GET.items()))
    )
    return caching.public(  # type: ignore[return-value]
        response,
        etag=etag,
        last_modified=article.modified_at,
        max_age=liveblog_settings.PAGE_MAX_AGE,
    )
