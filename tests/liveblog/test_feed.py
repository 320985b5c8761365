"""The Atom feed per article, read with feedparser as a feed reader would."""

from __future__ import annotations

import datetime as dt

import feedparser

from liveblog import services
from tests.factories import ArticleFactory


def parsed(client, article):
    response = client.get(f"/live/{article.slug}/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_feed_lists_published_updates_newest_first(client, article, ada):
    first = services.update_publish(
        user=ada, article=article, body="Users see **errors**."
    )
    gone = services.update_publish(user=ada, article=article, body="Mistake")
    services.update_delete(user=ada, update=gone)
    last = services.update_publish(
        user=ada,
        article=article,
        body="Restored.",
        published_at=dt.datetime(2026, 7, 14, 12, 50, tzinfo=dt.UTC),
    )
    feed = parsed(client, article)
    assert feed.version == "atom10"
    assert feed.feed.title == "Twitter is down"
    assert feed.feed.subtitle == "What we know so far."
    assert feed.feed.link == f"http://testserver/live/{article.slug}/"
    assert [e.link for e in feed.entries] == [
        f"http://testserver/live/{article.slug}/updates/{last.pk}/",
        f"http://testserver/live/{article.slug}/updates/{first.pk}/",
    ]
    assert [e.id for e in feed.entries] == [
        f"http://127.0.0.1:8000/live/{article.slug}/updates/{last.pk}/",
        f"http://127.0.0.1:8000/live/{article.slug}/updates/{first.pk}/",
    ]
    restored, errors = feed.entries
    assert restored.title.startswith("Update 2:50 p.m., July 14")
    assert "<strong>errors</strong>" in errors.summary
    assert dt.datetime(*restored.published_parsed[:6], tzinfo=dt.UTC) == dt.datetime(
        2026, 7, 14, 12, 50, tzinfo=dt.UTC
    )


def test_feed_marks_edits_with_the_updated_time(client, article, ada):
    update = services.update_publish(user=ada, article=article, body="Before")
    services.update_edit(user=ada, update=update, body="After")
    update.refresh_from_db()
    [entry] = parsed(client, article).entries
    assert "After" in entry.summary
    assert dt.datetime(
        *entry.updated_parsed[:6], tzinfo=dt.UTC
    ) == update.edited_at.replace(microsecond=0)


def test_feed_of_a_draft_article_is_not_found(client, daily):
    draft = ArticleFactory(newsroom=daily)
    assert client.get(f"/live/{draft.slug}/feed/").status_code == 404
