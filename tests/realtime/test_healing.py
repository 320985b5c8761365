"""Dropped messages are healed (issue 3, test 6).

Readers do not use the channel layer, so its capacity cannot drop their
messages; the two places a message can be dropped in this design are tested
instead: a publish that never reaches Redis (the event row is committed, the
doorbell is not rung) and a reader's tiny bounded queue overflowing (the server
closes it with 4008 and it resumes with ``since``).  Either way every event
reaches the reader exactly once.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from liveblog import events
from liveblog.consumers import CLOSE_TOO_SLOW
from tests.realtime.clients import Reader, quiet


@pytest.fixture
def lost_publishes(monkeypatch: Any) -> Any:
    """While ``lost.active`` is true, events are committed but never published."""

    class Lost:
        active = False

    real_publish = events.publish

    def publish(*, article_id: int, message: str) -> None:
        if not Lost.active:
            real_publish(article_id=article_id, message=message)

    monkeypatch.setattr(events, "publish", publish)
    return Lost


async def test_lost_publish_is_healed_by_the_next_event(
    asgi_server: Any, article: Any, post: Any, lost_publishes: Any
) -> None:
    readers = [await Reader(asgi_server.ws_url, article.slug).start() for _ in range(3)]
    lost_publishes.active = True
    for number in range(3):
        await post(f"Never published {number}")
    lost_publishes.active = False
    await post("Published, after a hole")

    await asyncio.gather(*(r.wait_for_seq(article.seq + 4) for r in readers))
    await quiet()
    expected = list(range(article.seq + 1, article.seq + 5))
    assert [r.seqs for r in readers] == [expected] * 3
    for r in readers:
        await r.stop()


async def test_lost_publish_of_the_newest_event_is_healed_without_another_event(
    start_server: Any, article: Any, post: Any, lost_publishes: Any
) -> None:
    server = start_server(LIVEDESK_HEARTBEAT_SECONDS="0.3")
    reader = await Reader(server.ws_url, article.slug).start()
    lost_publishes.active = True
    await post("The last word, never published")

    await reader.wait_for_seq(article.seq + 1)
    await quiet()
    assert reader.seqs == [article.seq + 1]
    await reader.stop()


async def test_reader_whose_tiny_queue_overflows_resumes_and_gets_every_event_once(
    start_server: Any, article: Any, post: Any, lost_publishes: Any
) -> None:
    server = start_server(LIVEDESK_READER_QUEUE_SIZE="2")
    reader = await Reader(server.ws_url, article.slug, reconnect=True).start()
    steady = await Reader(server.ws_url, article.slug, reconnect=True).start()

    # Ten events unpublished, then one published: the server heals the hole by
    # handing each reader all eleven at once, far more than its queue holds.
    lost_publishes.active = True
    for number in range(10):
        await post(f"Held back {number}")
    lost_publishes.active = False
    await post("Bell rung")
    for number in range(20):
        await post(f"Afterwards {number}")

    expected = list(range(article.seq + 1, article.seq + 32))
    await asyncio.gather(reader.wait_for_seq(expected[-1]), steady.wait_for_seq(expected[-1]))
    await quiet()

    assert CLOSE_TOO_SLOW in reader.close_codes
    assert len(reader.hellos) >= 2  # it came back with `since`
    assert reader.seqs == expected
    assert steady.seqs == expected
    await reader.stop()
    await steady.stop()
