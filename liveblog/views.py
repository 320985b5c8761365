"""Reader-facing pages: the article list, the live article, one update, the
feed, and the events endpoint.  Thin: parse, call a selector, shape."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from liveblog import jsonld, selectors
from liveblog.conf import liveblog_settings
from liveblog.presentation import (
    article_today,
    render_header,
    render_key_event,
    render_pinned,
    render_update_card,
    today_in,
    words,
)
from liveblog.shortcut import events_etag
from liveblog.timelabels import update_label

# An hour: the key changes with every change to the article, so this only bounds
# how long a superseded page lingers in Redis.
PAGE_CACHE_SECONDS = 3600


def _public_cache(response: HttpResponse, max_age: int) -> HttpResponse:
    patch_cache_control(
        response, public=True, max_age=max_age, stale_while_revalidate=max_age * 6
    )
    return response


def _cursor(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise Http404("Bad cursor.")
    return int(value)


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    articles = list(selectors.public_articles()[:50])
    return render(request, "liveblog/index.html", {"articles": articles})


def _labels(article: Any, updates: list[Any], today: Any) -> dict[int, str]:
    return {
        update.pk: update_label(
            update.published_at,
            kind=update.kind,
            time_zone=article.time_zone,
            language=article.language,
            today=today,
        )
        for update in updates
    }


@require_GET
def article_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The live article: server-rendered, complete with JavaScript off."""
    article = selectors.article_version(slug=slug)
    before = _cursor(request.GET.get("before"))
    today = today_in(article.time_zone)
    # The ETag names everything the page depends on: the article's seq, the
    # cursor and the reader's day (labels of earlier days carry a date).
    etag = f'"{article.pk}-{article.seq}-{before or 0}-{today.isoformat()}"'
    if etag in request.headers.get("If-None-Match", ""):
        return _public_cache(HttpResponse(status=304, headers={"ETag": etag}), liveblog_settings.PAGE_MAX_AGE)
    # Rendered once per change (and per cursor and day), then served from the
    # cache to every reader: the key holds the seq, so it is never stale.
    # (modified_at too: a restored database may count seq up again.)
    cache_key = (
        f"page:{etag.strip(chr(34))}:{article.modified_at.timestamp():.6f}"
    )
    html = cache.get(cache_key)
    if html is None:
        full = selectors.article_for_reader(slug=slug)
        html = _render_article_page(request, full, before=before, today=today)
        cache.set(cache_key, html, PAGE_CACHE_SECONDS)
    response = HttpResponse(html)
    response["ETag"] = etag
    response["Last-Modified"] = article.modified_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return _public_cache(response, liveblog_settings.PAGE_MAX_AGE)


def _render_article_page(
    request: HttpRequest, article: Any, *, before: int | None, today: Any
) -> str:
    page = selectors.stream_page(article=article, before=before)
    key_events = selectors.key_events(article=article) if before is None else []
    context = {
        "article": article,
        "w": words(article.language),
        "header_html": render_header(article, today=today),
        "pinned_html": render_pinned(article, today=today) if before is None else "",
        "cards": [render_update_card(u, article=article, today=today) for u in page.updates],
        "key_events": [render_key_event(u, article=article, today=today) for u in key_events],
        "older_cursor": page.older_cursor,
        "before": before,
        "jsonld": jsonld.encode(
            jsonld.live_blog_posting(
                article, page.updates, labels=_labels(article, page.updates, today)
            )
        ),
        "site_url": liveblog_settings.SITE_URL,
        "first_update": page.updates[0] if page.updates else None,
    }
    # No request in the context: the page is the same for every reader.
    return render_to_string("liveblog/article.html", context)


@require_GET
def update_page(request: HttpRequest, slug: str, update_id: int) -> HttpResponse:
    """One update on a page of its own, with Open Graph tags for sharing."""
    article = selectors.article_for_reader(slug=slug)
    update = selectors.published_updates(article).filter(pk=update_id).first()
    if update is None:
        raise Http404("This update is not published.")
    update.article = article  # the card's permalink needs it; no second query
    today = article_today(article)
    context = {
        "article": article,
        "update": update,
        "w": words(article.language),
        "card_html": render_update_card(update, article=article, today=today),
        "label": _labels(article, [update], today)[update.pk],
        "site_url": liveblog_settings.SITE_URL,
    }
    return _public_cache(render(request, "liveblog/update.html", context), liveblog_settings.PAGE_MAX_AGE)


@require_GET
def events(request: HttpRequest, slug: str) -> HttpResponse:
    """Events after ``since`` as ``{"seq": N, "events": [...]}``: the polling
    fallback, the gap filler, and a CDN-friendly read.

    The stored messages are joined as they are, never decoded and re-encoded.
    ``resync: true`` tells a client its ``since`` cannot be honoured (malformed or
    ahead of the article) and it must reload the stream.
    """
    article = selectors.article_version(slug=slug)
    raw_since = request.GET.get("since", "")
    current = article.seq
    if not raw_since.isdigit() or int(raw_since) > current:
        response = JsonResponse(
            {"seq": current, "events": [], "resync": True,
             "error": "since must be a whole number no greater than the article's seq"},
            status=400 if not raw_since.isdigit() else 200,
        )
        response["Cache-Control"] = "no-store"
        return response
    since = int(raw_since)
    etag = events_etag(article.pk, current, since)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        rows = selectors.events_since(article_id=article.pk, since=since)
        more = bool(rows) and rows[-1][0] < current
        body = '{"seq":%d,"more":%s,"events":[%s]}' % (
            current,
            "true" if more else "false",
            ",".join(message for _, message in rows),
        )
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    return _public_cache(response, liveblog_settings.EVENTS_MAX_AGE)


class ArticleFeed(Feed):
    """An Atom feed of an article's latest 50 updates."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Any:
        return selectors.article_for_reader(slug=slug)

    def title(self, article: Any) -> str:
        return article.title

    def link(self, article: Any) -> str:
        return article.get_absolute_url()

    def subtitle(self, article: Any) -> str:
        return article.summary

    def items(self, article: Any) -> list[Any]:
        updates = list(selectors.published_updates(article).order_by("-seq")[:50])
        self._labels = _labels(article, updates, article_today(article))
        for update in updates:
            update.article = article
        return updates

    def item_title(self, update: Any) -> str:
        return self._labels.get(update.pk, "")

    def item_description(self, update: Any) -> str:
        return update.body_html

    def item_link(self, update: Any) -> str:
        return update.get_absolute_url()

    def item_pubdate(self, update: Any) -> Any:
        return update.published_at

    def item_updateddate(self, update: Any) -> Any:
        return update.edited_at or update.published_at

    def item_guid(self, update: Any) -> str:
        return f"{liveblog_settings.SITE_URL}{update.get_absolute_url()}"

    def item_guid_is_permalink(self, update: Any) -> bool:
        return True
