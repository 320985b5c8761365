"""Conditional polls of the events endpoint are answered without Django by a
process that watches the article, and never with a stale "not modified"."""

from __future__ import annotations

from typing import Any

import httpx

from tests.realtime.clients import Reader

SHORTCUT = "x-livedesk-answered-by"


def _events(server: Any, slug: str, since: int, etag: str | None = None) -> httpx.Response:
    headers = {"If-None-Match": etag} if etag else {}
    return httpx.get(
        f"{server.url}/api/v1/articles/{slug}/events/", params={"since": since}, headers=headers
    )


async def test_unchanged_poll_is_answered_by_the_shortcut_and_a_change_is_never_hidden(
    asgi_server: Any, article: Any, post: Any
) -> None:
    reader = await Reader(asgi_server.ws_url, article.slug).start()  # the process watches it
    first = _events(asgi_server, article.slug, article.seq)
    assert first.status_code == 200 and first.json()["events"] == []

    again = _events(asgi_server, article.slug, article.seq, first.headers["ETag"])
    assert again.status_code == 304
    assert again.headers[SHORTCUT] == "shortcut"
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]

    await post("Logins work again.")
    await reader.wait_for_seq(article.seq + 1)
    changed = _events(asgi_server, article.slug, article.seq, first.headers["ETag"])
    assert changed.status_code == 200
    assert [event["seq"] for event in changed.json()["events"]] == [article.seq + 1]
    await reader.stop()


async def test_an_article_no_reader_of_this_process_watches_goes_to_django(
    asgi_server: Any, article: Any
) -> None:
    first = _events(asgi_server, article.slug, article.seq)
    again = _events(asgi_server, article.slug, article.seq, first.headers["ETag"])
    assert again.status_code == 304
    assert SHORTCUT not in again.headers
