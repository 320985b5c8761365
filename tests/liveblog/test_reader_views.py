"""The reader page as a reader's browser gets it with JavaScript off: a plain
HTTP GET whose HTML holds the coverage, parsed and checked like a reader would."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liveblog import services
from liveblog.models import UpdateKind
from tests.factories import ArticleFactory

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def get_page(client: Client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def cards(soup: BeautifulSoup) -> list:
    return soup.select("#ld-stream article.ld-update")


def today_at(hour: int, minute: int = 0) -> dt.datetime:
    """A time earlier today in Madrid (midnight has always passed)."""
    today = timezone.now().astimezone(MADRID).date()
    return dt.datetime.combine(today, dt.time(hour, minute), tzinfo=MADRID)


def test_reader_page_without_javascript_holds_the_updates(client, article, ada):
    services.update_publish(user=ada, article=article, body="Users see **errors**.")
    soup = get_page(client, article.get_absolute_url())
    [card] = cards(soup)
    assert card.select_one(".ld-body strong").get_text() == "errors"
    assert soup.select_one("h1.ld-title").get_text() == "Twitter is down"
    assert soup.select_one(".ld-badge.ld-status-live").get_text() == "LIVE"
    assert soup.select_one(".ld-summary").get_text(strip=True) == "What we know so far."
    assert soup.select_one(".ld-last-updated").get_text().startswith("Last updated ")


def test_labels_are_in_the_article_zone_and_time_holds_the_utc_instant(
    client, article, ada
):
    earlier = dt.datetime(2026, 7, 13, 21, 40, tzinfo=dt.UTC)  # 11:40 p.m. in Madrid
    services.update_publish(
        user=ada, article=article, body="Earlier day", published_at=earlier
    )
    midnight = today_at(0, 0)
    services.update_publish(
        user=ada, article=article, body="At midnight", published_at=midnight
    )
    soup = get_page(client, article.get_absolute_url())
    first, second = cards(soup)
    time = first.select_one(".ld-label time")
    assert time.get_text() == "Update midnight"
    assert dt.datetime.fromisoformat(time["datetime"]) == midnight
    assert dt.datetime.fromisoformat(time["datetime"]).utcoffset() == dt.timedelta(0)
    year = "" if timezone.now().year == 2026 else ", 2026"
    assert (
        second.select_one(".ld-label time").get_text()
        == f"Update 11:40 p.m., July 13{year}"
    )
    assert (
        second.select_one(".ld-label time")["datetime"] == "2026-07-13T21:40:00+00:00"
    )


def test_spanish_article_speaks_spanish(client, daily, ada):
    article = services.article_go_live(
        user=ada, article=ArticleFactory(newsroom=daily, language="es", slug="caida")
    )
    services.update_publish(
        user=ada, article=article, body="Hola", published_at=today_at(14, 50)
    )
    soup = get_page(client, article.get_absolute_url())
    assert soup.html["lang"] == "es"
    assert soup.select_one(".ld-badge.ld-status-live").get_text() == "EN DIRECTO"
    assert cards(soup)[0].select_one(".ld-label").get_text() == "Actualización 14:50"


def test_older_updates_come_twenty_at_a_time_by_cursor_never_by_page_number(
    client, article, ada
):
    updates = [
        services.update_publish(user=ada, article=article, body=f"Update number {n}")
        for n in range(45)
    ]
    soup = get_page(client, article.get_absolute_url())
    assert len(cards(soup)) == 20
    assert cards(soup)[0]["id"] == f"update-{updates[-1].pk}"
    older = soup.select_one("nav.ld-older a")
    assert older.get_text() == "Older updates"
    assert older["href"] == f"?before={updates[25].seq}"
    assert "page=" not in soup.decode()
    second = get_page(client, article.get_absolute_url() + older["href"])
    assert [c["id"] for c in cards(second)] == [
        f"update-{u.pk}" for u in updates[24:4:-1]
    ]
    third = get_page(
        client, article.get_absolute_url() + second.select_one("nav.ld-older a")["href"]
    )
    assert [c["id"] for c in cards(third)] == [f"update-{u.pk}" for u in updates[4::-1]]
    assert third.select_one("nav.ld-older") is None


def test_a_cursor_that_is_not_a_number_is_not_found(client, article):
    assert client.get(article.get_absolute_url() + "?before=abc").status_code == 404


def test_permalink_page_shares_one_update_with_open_graph_tags(client, article, ada):
    update = services.update_publish(
        user=ada,
        article=article,
        body="All services have returned to normal operation.",
    )
    soup = get_page(client, f"/live/{article.slug}/updates/{update.pk}/")
    og = {m["property"]: m["content"] for m in soup.select("meta[property^='og:']")}
    assert og["og:type"] == "article"
    assert (
        og["og:url"]
        == f"http://127.0.0.1:8000/live/{article.slug}/updates/{update.pk}/"
    )
    assert og["og:title"].endswith(": Twitter is down")
    assert og["og:title"].startswith("Update ")
    assert og["og:description"] == "All services have returned to normal operation."
    assert soup.select_one("meta[name='twitter:card']")["content"] == "summary"
    assert soup.select_one("link[rel=canonical]")["href"] == og["og:url"]
    card = soup.select_one("article.ld-update")
    assert card["id"] == f"update-{update.pk}"
    assert (
        card.select_one("a.ld-label")["href"]
        == f"/live/{article.slug}/updates/{update.pk}/"
    )


def test_permalink_of_a_deleted_or_draft_update_is_not_found(
    client, article, ada, grace
):
    deleted = services.update_publish(user=ada, article=article, body="gone")
    services.update_delete(user=ada, update=deleted)
    draft = services.update_draft_save(user=grace, article=article, body="draft")
    for update in (deleted, draft):
        assert (
            client.get(f"/live/{article.slug}/updates/{update.pk}/").status_code == 404
        )


def test_reader_page_has_open_graph_and_twitter_card_tags(client, article):
    soup = get_page(client, article.get_absolute_url())
    og = {m["property"]: m["content"] for m in soup.select("meta[property^='og:']")}
    assert og["og:title"] == "Twitter is down"
    assert og["og:url"] == f"http://127.0.0.1:8000/live/{article.slug}/"
    assert og["og:site_name"] == "The Daily"
    assert soup.select_one("meta[name='twitter:title']")["content"] == "Twitter is down"
    assert soup.select_one("link[type='application/atom+xml']")["href"] == (
        f"/live/{article.slug}/feed/"
    )


def test_an_edited_update_shows_its_new_text_marked_edited(client, article, ada):
    update = services.update_publish(
        user=ada, article=article, body="Down since 2 p.m."
    )
    services.update_edit(user=ada, update=update, body="Down since 1:50 p.m.")
    update.refresh_from_db()
    [card] = cards(get_page(client, article.get_absolute_url()))
    assert card.select_one(".ld-body").get_text(strip=True) == "Down since 1:50 p.m."
    edited = card.select_one(".ld-edited")
    assert edited.get_text().startswith("Edited ")
    assert dt.datetime.fromisoformat(edited.time["datetime"]) == update.edited_at
    assert "2 p.m." not in card.select_one(".ld-body").get_text()


def test_a_struck_update_stays_visible_struck_through_with_its_reason(
    client, article, ada
):
    update = services.update_publish(user=ada, article=article, body="TweetDeck works")
    services.update_strike(user=ada, update=update, reason="TweetDeck was down too")
    [card] = cards(get_page(client, article.get_absolute_url()))
    assert "ld-is-struck" in card["class"]
    assert card.select_one(".ld-body").get_text(strip=True) == "TweetDeck works"
    assert (
        card.select_one(".ld-struck-note").get_text()
        == "Retracted: TweetDeck was down too"
    )


def test_a_deleted_update_is_gone_for_readers(client, article, ada):
    kept = services.update_publish(user=ada, article=article, body="Kept")
    gone = services.update_publish(user=ada, article=article, body="Secret mistake")
    services.update_delete(user=ada, update=gone)
    response = client.get(article.get_absolute_url())
    soup = BeautifulSoup(response.content, "html.parser")
    assert [c["id"] for c in cards(soup)] == [f"update-{kept.pk}"]
    assert b"Secret mistake" not in response.content


def test_pinned_update_sits_above_the_stream_until_unpinned(client, article, ada):
    update = services.update_publish(user=ada, article=article, body="Read this first")
    services.update_publish(user=ada, article=article, body="Later news")
    services.update_pin(user=ada, update=update)
    soup = get_page(client, article.get_absolute_url())
    pinned = soup.select_one("#ld-pinned .ld-pinned-card")
    assert pinned.select_one(".ld-body").get_text(strip=True) == "Read this first"
    assert pinned.select_one(".ld-pinned-flag").get_text(strip=True) == "Pinned"
    assert pinned.select_one("a")["href"] == f"#update-{update.pk}"
    services.update_unpin(user=ada, article=article)
    soup = get_page(client, article.get_absolute_url())
    assert soup.select_one("#ld-pinned .ld-pinned-card") is None
    assert len(cards(soup)) == 2  # still in the stream


def test_key_events_are_listed_at_the_top(client, article, ada):
    first = services.update_publish(
        user=ada, article=article, body="Twitter is down.", kind=UpdateKind.KEY_EVENT
    )
    services.update_publish(user=ada, article=article, body="Ordinary")
    last = services.update_publish(
        user=ada, article=article, body="Service restored.", kind=UpdateKind.KEY_EVENT
    )
    soup = get_page(client, article.get_absolute_url())
    section = soup.select_one("#ld-key-events")
    assert not section.has_attr("hidden")
    assert section.h2.get_text() == "Key events"
    items = section.select("li.ld-key-event")
    assert [li.select_one(".ld-key-text").get_text() for li in items] == [
        "Service restored.",
        "Twitter is down.",
    ]
    assert [li.a["href"] for li in items] == [
        f"#update-{last.pk}",
        f"#update-{first.pk}",
    ]


def test_no_key_events_leaves_the_list_hidden(client, article, ada):
    services.update_publish(user=ada, article=article, body="Ordinary")
    soup = get_page(client, article.get_absolute_url())
    assert soup.select_one("#ld-key-events").has_attr("hidden")


def test_ended_coverage_says_so_with_the_time(client, article, ada):
    services.article_end(user=ada, article=article)
    article.refresh_from_db()
    soup = get_page(client, article.get_absolute_url())
    notice = soup.select_one(".ld-ended")
    assert notice.get_text().startswith("This live coverage has ended")
    assert dt.datetime.fromisoformat(notice.time["datetime"]) == article.coverage_end
    assert notice.time.get_text()  # a label such as "3:05 p.m."
    assert soup.select_one(".ld-badge.ld-status-ended").get_text() == "Ended"


def test_drafts_are_not_public(client, daily):
    draft = ArticleFactory(newsroom=daily, slug="not-yet")
    assert client.get("/live/not-yet/").status_code == 404
    assert draft.title.encode() not in client.get("/").content


def test_front_page_lists_live_and_ended_coverage(client, article, ada, daily):
    ended = services.article_go_live(
        user=ada, article=ArticleFactory(newsroom=daily, title="Old outage")
    )
    services.article_end(user=ada, article=ended)
    soup = get_page(client, "/")
    rows = soup.select(".ld-article-list li")
    assert [(r.a.get_text(), r.select_one(".ld-badge").get_text()) for r in rows] == [
        ("Twitter is down", "LIVE"),
        ("Old outage", "Ended"),
    ]


def page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_reader_page_query_count_does_not_grow_with_updates(client, article, ada):
    def publish(count: int) -> None:
        for n in range(count):
            kind = UpdateKind.KEY_EVENT if n % 2 else UpdateKind.UPDATE
            services.update_publish(user=ada, article=article, body=f"u{n}", kind=kind)

    publish(2)
    services.update_pin(user=ada, update=article.updates.first())
    few = page_queries(client, article.get_absolute_url())
    one_update = page_queries(client, article.updates.first().get_absolute_url())
    publish(30)
    assert page_queries(client, article.get_absolute_url()) == few
    assert (
        page_queries(client, article.updates.first().get_absolute_url()) == one_update
    )
    # The page's own reads: the article (with newsroom and pin), one stream page,
    # the key events.  Other apps' panels may add their own, never per update.
    assert few >= 3


def test_an_unchanged_page_answers_not_modified(client, article, ada):
    first = client.get(article.get_absolute_url())
    etag = first["ETag"]
    assert (
        client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code
        == 304
    )
    services.update_publish(user=ada, article=article, body="news")
    assert (
        client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code
        == 200
    )


def test_key_events_and_share_text_show_ampersands_and_brackets_as_typed(
    client, article, ada
):
    update = services.update_publish(
        user=ada,
        article=article,
        body="AT&T and <b>Verizon</b> too",
        kind=UpdateKind.KEY_EVENT,
    )
    soup = get_page(client, article.get_absolute_url())
    assert soup.select_one(".ld-key-text").get_text() == "AT&T and <b>Verizon</b> too"
    share = get_page(client, update.get_absolute_url())
    description = share.select_one("meta[property='og:description']")["content"]
    assert description == "AT&T and <b>Verizon</b> too"


def test_the_page_is_rendered_once_per_change_and_served_from_the_cache_after(
    client, article, ada, django_assert_num_queries
):
    services.update_publish(user=ada, article=article, body="Timelines are empty.")
    first = client.get(article.get_absolute_url())
    # A second reader: only the article's seq is read; nothing is rendered again.
    with django_assert_num_queries(1):
        second = client.get(article.get_absolute_url())
    assert second.content == first.content
    services.update_publish(user=ada, article=article, body="Posting fails too.")
    third = client.get(article.get_absolute_url())
    assert b"Posting fails too." in third.content and third["ETag"] != first["ETag"]
