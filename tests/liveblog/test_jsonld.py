"""schema.org LiveBlogPosting on the reader page, parsed from the page as a
search engine would read it."""

from __future__ import annotations

import datetime as dt
import json

from bs4 import BeautifulSoup

from liveblog import services
from liveblog.models import LiveArticle

SITE = "http://127.0.0.1:8000"


def page_jsonld(client, article) -> dict:
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    [script] = soup.select('script[type="application/ld+json"]')
    return json.loads(script.string)


def test_live_blog_posting_describes_the_coverage(client, article, ada):
    first = services.update_publish(
        user=ada, article=article, body="Users cannot **log in**."
    )
    second = services.update_publish(
        user=ada, article=article, body="TweetDeck is down too."
    )
    services.update_edit(
        user=ada, update=first, body="Users cannot **log in** or post."
    )
    article = LiveArticle.objects.select_related("newsroom").get(pk=article.pk)
    first.refresh_from_db()
    data = page_jsonld(client, article)
    url = f"{SITE}/live/{article.slug}/"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "LiveBlogPosting"
    assert data["headline"] == "Twitter is down"
    assert data["url"] == url
    assert dt.datetime.fromisoformat(data["datePublished"]) == article.coverage_start
    assert (
        dt.datetime.fromisoformat(data["coverageStartTime"]) == article.coverage_start
    )
    assert dt.datetime.fromisoformat(data["dateModified"]) == article.modified_at
    assert "coverageEndTime" not in data
    assert data["publisher"] == {"@type": "Organization", "name": "The Daily"}
    posts = data["liveBlogUpdate"]
    assert [p["@type"] for p in posts] == ["BlogPosting", "BlogPosting"]
    assert [p["url"] for p in posts] == [
        f"{url}#update-{second.pk}",
        f"{url}#update-{first.pk}",
    ]
    assert posts[1]["articleBody"] == "Users cannot log in or post."  # text, no markup
    assert posts[0]["headline"].startswith("Update ")
    assert dt.datetime.fromisoformat(posts[1]["datePublished"]) == first.published_at
    assert dt.datetime.fromisoformat(posts[1]["dateModified"]) == first.edited_at
    assert "dateModified" not in posts[0]


def test_ended_coverage_carries_its_end_time(client, article, ada):
    services.article_end(user=ada, article=article)
    article.refresh_from_db()
    data = page_jsonld(client, article)
    assert dt.datetime.fromisoformat(data["coverageEndTime"]) == article.coverage_end


def test_publisher_url_is_included_when_the_newsroom_has_one(client, article, daily):
    daily.url = "https://daily.example/"
    daily.save()
    assert page_jsonld(client, article)["publisher"]["url"] == "https://daily.example/"


def test_deleted_updates_are_left_out(client, article, ada):
    kept = services.update_publish(user=ada, article=article, body="kept")
    gone = services.update_publish(user=ada, article=article, body="gone")
    services.update_delete(user=ada, update=gone)
    urls = [p["url"] for p in page_jsonld(client, article)["liveBlogUpdate"]]
    assert urls == [f"{SITE}/live/{article.slug}/#update-{kept.pk}"]


def test_text_that_closes_the_script_element_cannot_break_out(client, article, ada):
    services.article_edit(
        user=ada,
        article=article,
        title="</script><script>alert(1)</script>",
        summary="a & b",
        time_zone="Europe/Madrid",
        language="en",
    )
    services.update_publish(
        user=ada, article=article, body="`</script><script>alert(2)`"
    )
    response = client.get(article.get_absolute_url())
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select("script")) == 2  # the JSON-LD and live.js, nothing injected
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert data["headline"] == "</script><script>alert(1)</script>"
    assert data["description"] == "a & b"
    assert data["liveBlogUpdate"][0]["articleBody"] == "</script><script>alert(2)"
