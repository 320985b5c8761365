"""Every reader gets every event, once, in order: against a real uvicorn server,
the suite's Redis and real WebSocket clients (issue 3, tests 1, 2, 3 and 5)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from asgiref.sync import sync_to_async

from liveblog import services
from tests.realtime.clients import DeskSession, Reader, page_seq, quiet


async def test_reader_connected_while_200_updates_are_posted_receives_all_in_order_once(
    asgi_server: Any, article: Any, post: Any
) -> None:
    start = article.seq
    reader = await Reader(asgi_server.ws_url, article.slug).start()
    assert reader.hellos == [start]

    for number in range(1, 201):
        await post(f"Update number {number}")
    await reader.wait_for_seq(start + 200)
    await quiet()

    assert reader.seqs == list(range(start + 1, start + 201))
    assert [event["type"] for event in reader.events] == ["update.created"] * 200
    assert "Update number 200" in reader.events[-1]["update"]["card"]
    await reader.stop()


async def test_reader_reconnecting_with_since_receives_exactly_the_six_events_it_missed(
    asgi_server: Any, article: Any, ada: Any, post: Any
) -> None:
    reader = await Reader(asgi_server.ws_url, article.slug).start()
    first = await post("Before the train went into the tunnel")
    await reader.wait_for_seq(article.seq + 1)
    await reader.stop()
    left_at = reader.last_seq

    for number in range(5):
        await post(f"Posted while away {number}")
    await sync_to_async(services.update_edit)(
        user=ada, update=first, body="Before the tunnel (corrected)"
    )

    back = await Reader(asgi_server.ws_url, article.slug, since=left_at).start()
    await back.wait_for_seq(left_at + 6)
    await quiet()

    assert back.seqs == list(range(left_at + 1, left_at + 7))
    assert [event["type"] for event in back.events] == ["update.created"] * 5 + ["update.edited"]
    assert "(corrected)" in back.events[-1]["update"]["card"]
    await back.stop()


async def test_update_posted_between_page_render_and_socket_connect_arrives_exactly_once(
    asgi_server: Any, article: Any, post: Any
) -> None:
    rendered_at = await sync_to_async(page_seq)(asgi_server.url, article.slug)
    await post("Posted while the page was loading")

    reader = await Reader(asgi_server.ws_url, article.slug, since=rendered_at).start()
    await post("Posted after the socket opened")
    await reader.wait_for_seq(rendered_at + 2)
    await quiet()

    assert reader.seqs == [rendered_at + 1, rendered_at + 2]
    assert "while the page was loading" in reader.events[0]["update"]["card"]
    await reader.stop()


async def test_reader_on_one_server_receives_what_an_editor_posts_through_another(
    start_server: Any, article: Any, ada: Any
) -> None:
    reading, editing = start_server(), start_server()
    reader = await Reader(reading.ws_url, article.slug).start()

    desk = await sync_to_async(DeskSession)(editing.url, "ada")
    await sync_to_async(desk.post_update)(article.slug, "Posted on the other server's desk")
    await reader.wait_for_seq(article.seq + 1)
    await quiet()

    assert reader.seqs == [article.seq + 1]
    assert "the other server" in reader.events[0]["update"]["card"]
    desk.close()
    await reader.stop()


async def test_many_readers_on_two_servers_each_receive_every_update_once(
    start_server: Any, article: Any, post: Any
) -> None:
    servers = [start_server(), start_server()]
    readers = [
        await Reader(servers[number % 2].ws_url, article.slug).start() for number in range(10)
    ]
    for number in range(30):
        await post(f"Burst {number}")
    await asyncio.gather(*(r.wait_for_seq(article.seq + 30) for r in readers))
    await quiet()

    expected = list(range(article.seq + 1, article.seq + 31))
    assert [r.seqs for r in readers] == [expected] * 10
    for r in readers:
        await r.stop()


async def test_since_that_is_malformed_or_ahead_tells_the_reader_to_resync(
    asgi_server: Any, article: Any, post: Any
) -> None:
    for since in ("soon", "-1", str(article.seq + 50)):
        reader = Reader(asgi_server.ws_url, article.slug)
        reader.url = lambda since=since: (  # type: ignore[method-assign]
            f"{asgi_server.ws_url}/ws/live/{article.slug}/?since={since}"
        )
        await reader.start()
        await quiet(0.2)
        assert (reader.hellos, reader.resyncs) == ([article.seq], 1), since
        # After a resync the stream continues from now.
        await post(f"After resync from {since}")
        await reader.wait_for_seq(article.seq + 1)
        await sync_to_async(article.refresh_from_db)()
        assert reader.seqs == [article.seq]
        await reader.stop()


async def test_reader_without_since_starts_from_now(
    asgi_server: Any, article: Any, post: Any
) -> None:
    await post("Old news")
    reader = await Reader(asgi_server.ws_url, article.slug).start()
    await post("New news")
    await reader.wait_for_seq(article.seq + 2)
    await quiet()
    assert reader.seqs == [article.seq + 2]
    await reader.stop()


async def test_idle_reader_receives_heartbeat_pings(start_server: Any, article: Any) -> None:
    server = start_server(LIVEDESK_HEARTBEAT_SECONDS="0.2")
    reader = await Reader(server.ws_url, article.slug).start()
    for _ in range(200):
        if reader.pings >= 2:
            break
        await asyncio.sleep(0.05)
    assert reader.pings >= 2
    assert reader.events == []
    await reader.stop()


def test_events_endpoint_serves_events_since_with_etag_and_short_caching(
    asgi_server: Any, article: Any, ada: Any
) -> None:
    for number in range(3):
        services.update_publish(user=ada, article=article, body=f"Polled {number}")
    url = f"{asgi_server.url}/api/v1/articles/{article.slug}/events/"

    first = httpx.get(url, params={"since": 1})
    body = first.json()
    assert first.status_code == 200
    assert body["seq"] == 4
    assert [event["seq"] for event in body["events"]] == [2, 3, 4]
    assert "Polled 2" in body["events"][-1]["update"]["card"]
    assert "max-age=" in first.headers["Cache-Control"]

    again = httpx.get(url, params={"since": 1}, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304

    services.update_publish(user=ada, article=article, body="Something new")
    changed = httpx.get(url, params={"since": 1}, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert [event["seq"] for event in changed.json()["events"]] == [2, 3, 4, 5]

    assert httpx.get(url, params={"since": 5}).json()["events"] == []
    for bad in ("soon", "-2", "99"):
        answer = httpx.get(url, params={"since": bad})
        assert answer.json()["resync"] is True, bad
        assert answer.json()["events"] == []
        assert "no-store" in answer.headers["Cache-Control"]
