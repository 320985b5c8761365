"""Reads of live coverage: what each selector returns, and how many queries it
takes (pinned, so a template change that adds a query per update fails here)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from liveblog import selectors, services
from liveblog.models import UpdateKind
from newsroom.permissions import Action
from tests.factories import ArticleFactory


@pytest.fixture
def stream(article, ada):
    """45 published updates, one deleted, one draft."""
    updates = [
        services.update_publish(user=ada, article=article, body=f"Update number {n}")
        for n in range(45)
    ]
    services.update_delete(user=ada, update=updates[10])
    services.update_draft_save(user=ada, article=article, body="Not yet")
    return updates


def test_stream_pages_newest_first_twenty_at_a_time_by_seq_cursor(article, stream):
    visible = [u for u in reversed(stream) if u.pk != stream[10].pk]
    with_cursor: list[list[int]] = []
    before = None
    while True:
        page = selectors.stream_page(article=article, before=before)
        with_cursor.append([u.pk for u in page.updates])
        if page.older_cursor is None:
            break
        assert page.older_cursor == page.updates[-1].seq
        before = page.older_cursor
    assert [len(p) for p in with_cursor] == [20, 20, 4]
    assert [pk for p in with_cursor for pk in p] == [u.pk for u in visible]


def test_a_stream_of_exactly_one_page_has_no_older_cursor(article, ada):
    for n in range(20):
        services.update_publish(user=ada, article=article, body=f"u{n}")
    page = selectors.stream_page(article=article)
    assert len(page.updates) == 20
    assert page.older_cursor is None


def test_stream_page_takes_one_query_and_its_updates_know_their_article(
    article, stream, django_assert_num_queries
):
    with django_assert_num_queries(1):
        page = selectors.stream_page(article=article, before=30)
        urls = [u.get_absolute_url() for u in page.updates]
    assert urls[0] == f"/live/{article.slug}/updates/{page.updates[0].pk}/"


def test_key_events_are_the_published_key_events_newest_first(
    article, ada, django_assert_num_queries
):
    first = services.update_publish(
        user=ada, article=article, body="a", kind=UpdateKind.KEY_EVENT
    )
    services.update_publish(user=ada, article=article, body="b")
    gone = services.update_publish(
        user=ada, article=article, body="c", kind=UpdateKind.KEY_EVENT
    )
    last = services.update_publish(
        user=ada, article=article, body="d", kind=UpdateKind.KEY_EVENT
    )
    services.update_delete(user=ada, update=gone)
    with django_assert_num_queries(1):
        events = selectors.key_events(article=article)
        [u.get_absolute_url() for u in events]
    assert events == [last, first]


def test_public_articles_lists_live_then_ended_never_drafts(
    daily, ada, django_assert_num_queries
):
    draft = ArticleFactory(newsroom=daily)
    ended = services.article_go_live(user=ada, article=ArticleFactory(newsroom=daily))
    services.article_end(user=ada, article=ended)
    live = services.article_go_live(user=ada, article=ArticleFactory(newsroom=daily))
    with django_assert_num_queries(1):
        articles = list(selectors.public_articles())
        names = [a.newsroom.name for a in articles]
    assert articles == [live, ended]
    assert draft not in articles
    assert names == ["The Daily", "The Daily"]


def test_article_for_reader_is_one_query_and_hides_drafts(
    article, daily, django_assert_num_queries
):
    with django_assert_num_queries(1):
        found = selectors.article_for_reader(slug=article.slug)
        found.newsroom.name, found.pinned_update  # noqa: B018 (joined, no query)
    assert found == article
    draft = ArticleFactory(newsroom=daily)
    with pytest.raises(Http404):
        selectors.article_for_reader(slug=draft.slug)


def test_article_for_edit_authorises_while_fetching(
    article, ada, grace, rival, reader, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the article with its joins, then the role
        assert selectors.article_for_edit(user=ada, slug=article.slug) == article
    assert selectors.article_for_edit(user=grace, slug=article.slug) == article
    with pytest.raises(PermissionDenied):
        selectors.article_for_edit(user=grace, slug=article.slug, action=Action.PUBLISH)
    for outsider in (rival, reader):
        with pytest.raises(PermissionDenied):
            selectors.article_for_edit(user=outsider, slug=article.slug)
    with pytest.raises(Http404):
        selectors.article_for_edit(user=ada, slug="no-such-article")


def test_update_for_edit_lets_a_contributor_open_only_their_own_draft(
    article, ada, grace, django_assert_num_queries
):
    own = services.update_draft_save(user=grace, article=article, body="mine")
    other = services.update_draft_save(user=ada, article=article, body="ada's")
    with django_assert_num_queries(3):  # the update with its joins, role, role again
        assert selectors.update_for_edit(
            user=grace, update_id=own.pk, action=Action.EDIT_UPDATE
        )
    with pytest.raises(PermissionDenied):
        selectors.update_for_edit(
            user=grace, update_id=other.pk, action=Action.EDIT_UPDATE
        )
    with django_assert_num_queries(2):
        found = selectors.update_for_edit(
            user=ada, update_id=other.pk, action=Action.STRIKE
        )
        found.article.newsroom.name  # noqa: B018 (joined, no query)
    with pytest.raises(Http404):
        selectors.update_for_edit(user=ada, update_id=999_999, action=Action.STRIKE)


def test_desk_articles_are_those_of_the_users_newsrooms(
    article, ada, rival, reader, gazette, django_assert_num_queries
):
    theirs = ArticleFactory(newsroom=gazette)
    with django_assert_num_queries(1):
        mine = list(selectors.desk_articles(user=ada))
        [a.newsroom.name for a in mine]
    assert mine == [article]
    assert list(selectors.desk_articles(user=rival)) == [theirs]
    assert list(selectors.desk_articles(user=reader)) == []


def test_events_since_returns_the_log_after_a_seq_in_order(
    article, ada, django_assert_num_queries
):
    for n in range(3):
        services.update_publish(user=ada, article=article, body=f"u{n}")
    with django_assert_num_queries(1):
        rows = selectors.events_since(article_id=article.pk, since=2)
    assert [seq for seq, _ in rows] == [3, 4]
    assert all('"type":"update.created"' in message for _, message in rows)


def test_revisions_for_editor_are_newest_first_in_one_query(
    article, ada, admin_user, django_assert_num_queries
):
    update = services.update_publish(user=ada, article=article, body="one")
    services.update_edit(user=admin_user, update=update, body="two")
    with django_assert_num_queries(1):
        revisions = selectors.revisions_for_editor(update=update)
        editors = [r.edited_by.username for r in revisions]
    assert [r.body for r in revisions] == ["two", "one"]
    assert editors == ["admin", "ada"]
