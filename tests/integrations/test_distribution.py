"""Headers per page type (CSP, framing, caching, 304), feeds, sitemap, robots,
and oEmbed with its discovery link."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from liveblog import services
from tests.factories import ArticleFactory


def _csp(response) -> dict[str, str]:
    directives = [
        part.strip() for part in response["Content-Security-Policy"].split(";")
    ]
    return {
        d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else ""
        for d in directives
        if d
    }


def _assert_public_cache(response, *, last_modified: bool = True) -> None:
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=" in cache_control and "stale-while-revalidate=" in cache_control
    assert response["ETag"].startswith('"')
    if last_modified:
        assert response.has_header("Last-Modified")


# The update page (liveblog.views) gets its ETag and 304 from Django's
# ConditionalGetMiddleware; it does not send Last-Modified yet.
WITHOUT_LAST_MODIFIED = {"/live/{slug}/updates/{update}/"}


PUBLIC_READS = [
    "/live/{slug}/",
    "/live/{slug}/updates/{update}/",
    "/live/{slug}/feed/",
    "/live/{slug}/feed.json",
    "/embed/{slug}/",
    "/embed/{slug}/updates/{update}/",
    "/api/v1/articles/{slug}/",
    "/api/v1/articles/{slug}/updates/",
    "/api/v1/articles/{slug}/updates/{update}/",
]


@pytest.mark.parametrize("pattern", PUBLIC_READS)
def test_public_read_is_cacheable_answers_304_when_unchanged_and_200_after_a_change(
    pattern, article, ada
):
    update = services.update_publish(user=ada, article=article, body="First")
    url = pattern.format(slug=article.slug, update=update.pk)
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    _assert_public_cache(first, last_modified=pattern not in WITHOUT_LAST_MODIFIED)

    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "public" in again["Cache-Control"]

    services.update_edit(
        user=ada, update=update, body="First, corrected", base_revision=1
    )
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_events_endpoint_keeps_its_shape_and_answers_304(article, ada):
    services.update_publish(user=ada, article=article, body="One")
    client = Client()
    first = client.get(f"/api/v1/articles/{article.slug}/events/?since=0")
    body = first.json()
    assert set(body) == {"seq", "more", "events"} and body["seq"] == 2
    assert "public" in first["Cache-Control"]
    again = client.get(
        f"/api/v1/articles/{article.slug}/events/?since=0",
        headers={"If-None-Match": first["ETag"]},
    )
    assert again.status_code == 304


def test_reader_page_may_not_be_framed_and_runs_only_its_own_scripts(article):
    response = Client().get(f"/live/{article.slug}/")
    assert response["X-Frame-Options"] == "DENY"
    csp = _csp(response)
    assert csp["frame-ancestors"] == "'none'"
    assert csp["script-src"] == "'self'"
    assert csp["default-src"] == "'self'"
    soup = BeautifulSoup(response.content, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") == "application/ld+json", script


def test_embed_may_be_framed_by_any_site_when_the_newsroom_allows_any(article):
    response = Client().get(f"/embed/{article.slug}/")
    assert not response.has_header("X-Frame-Options")
    assert _csp(response)["frame-ancestors"] == "*"
    soup = BeautifulSoup(response.content, "html.parser")
    assert all(script.get("src") for script in soup.find_all("script"))
    assert soup.find("base")["target"] == "_blank"


def test_embed_may_be_framed_only_by_the_newsrooms_listed_origins(article, daily):
    daily.embed_origins = (
        "https://partner.example\nnot an origin\nhttp://127.0.0.1:8123"
    )
    daily.save()
    response = Client().get(f"/embed/{article.slug}/")
    assert (
        _csp(response)["frame-ancestors"]
        == "'self' https://partner.example http://127.0.0.1:8123"
    )
    single = Client().get(f"/embed/{article.slug}/updates/0/")
    assert single.status_code == 404


def test_desk_and_api_docs_may_not_be_framed_and_are_not_publicly_cached(ada):
    client = Client()
    client.force_login(ada)
    for url in ("/desk/", "/desk/profile/", "/api/docs/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Frame-Options"] == "DENY"
        assert _csp(response)["frame-ancestors"] == "'none'"
        assert "public" not in response.get("Cache-Control", "")


def test_embed_options_limit_theme_and_pinned(article, ada):
    updates = [
        services.update_publish(user=ada, article=article, body=f"U{n}")
        for n in range(3)
    ]
    services.update_pin(user=ada, update=updates[0])
    html = (
        Client()
        .get(f"/embed/{article.slug}/?limit=2&theme=dark&pinned=0&lang=es")
        .content.decode()
    )
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("#ld-stream .ld-update")) == 2
    assert soup.html["data-theme"] == "dark" and soup.html["lang"] == "es"
    assert soup.find(id="ld-pinned").has_attr("hidden")
    assert not soup.select("#ld-pinned .ld-pinned-card")


def test_json_feed_lists_published_updates_newest_first(article, ada):
    services.update_publish(user=ada, article=article, body="Older")
    services.update_publish(user=ada, article=article, body="**Newer**")
    response = Client().get(f"/live/{article.slug}/feed.json")
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == article.title
    assert [item["content_text"] for item in feed["items"]] == ["**Newer**", "Older"]
    assert "<strong>Newer</strong>" in feed["items"][0]["content_html"]


def test_sitemap_lists_public_articles_and_robots_points_to_it(article, daily):
    ArticleFactory(newsroom=daily, slug="secret-draft")
    sitemap = Client().get("/sitemap.xml")
    assert sitemap.status_code == 200
    text = sitemap.content.decode()
    assert f"/live/{article.slug}/</loc>" in text
    assert "secret-draft" not in text
    assert "<changefreq>always</changefreq>" in text
    assert "public" in sitemap["Cache-Control"]
    robots = Client().get("/robots.txt").content.decode()
    assert "Sitemap: http" in robots and "/sitemap.xml" in robots
    assert "Disallow: /desk/" in robots


def test_reader_page_advertises_oembed_and_the_endpoint_returns_a_rich_embed(
    article, ada
):
    page = BeautifulSoup(Client().get(f"/live/{article.slug}/").content, "html.parser")
    link = page.find("link", type="application/json+oembed")
    assert link is not None
    oembed_path = link["href"].split("://", 1)[1].split("/", 1)[1]
    response = Client().get("/" + oembed_path)
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["title"] == article.title
    snippet = BeautifulSoup(data["html"], "html.parser")
    holder = snippet.find(attrs={"data-livedesk": article.slug})
    assert holder.find("a")["href"].endswith(
        f"/live/{article.slug}/"
    )  # the no-script link
    assert snippet.find("script")["src"].endswith("/static/liveblog/embed.js")
    assert "public" in response["Cache-Control"]


def test_oembed_for_an_update_url_respects_maxwidth_and_refuses_other_sites(
    article, ada
):
    from django.conf import settings

    update = services.update_publish(user=ada, article=article, body="Shareable")
    url = f"{settings.SITE_URL}/live/{article.slug}/updates/{update.pk}/"
    data = Client().get(f"/oembed/?url={quote(url)}&format=json&maxwidth=320").json()
    assert data["width"] == 320
    assert f'data-update="{update.pk}"' in data["html"]
    foreign = Client().get(
        f"/oembed/?url={quote('https://evil.example/live/' + article.slug + '/')}"
    )
    assert foreign.status_code == 404
    assert Client().get(f"/oembed/?url={quote(url)}&format=xml").status_code == 501
