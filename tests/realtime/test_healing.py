"""Dropped messages are healed (issue 3, test 6).

Readers do not use the channel layer, so its capacity cannot drop their
messages; the two places a message can be dropped in this design are tested
instead: a publish that never reaches Redis (the event row is committed, the
doorbell is not rung) and a reader's tiny bounded queue overflowing (the server
closes it with 4008 and it resumes with ``since``).  A reader that keeps up is
written to directly, so only a reader whose socket has backed up has a queue
at all: the overflow test stalls a real socket.  Either way every event
reaches the reader exactly once.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import pytest
import websockets
from asgiref.sync import sync_to_async
from websockets.exceptions import ConnectionClosed

from liveblog import events, services
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


# Enough to back up a loopback socket: Linux grows a connection's send buffer to
# megabytes (tcp_wmem) before the server's own write buffer starts to fill, so
# the test edits a pinned, link-heavy update (each event carries the card and
# the pinned slot, ~45 KB) until several megabytes are in flight.
EDITS = 180
LINKS = "".join(f"[source {n}](https://status.example.com/incidents/{n:06d}) " for n in range(170))


async def _stalled_reader(ws_url: str, slug: str) -> Any:
    """A reader that connects, reads its hello, then stops reading: a phone in a
    tunnel.  A tiny receive buffer and a one-frame client queue make the
    server's socket back up after a few frames instead of a few megabytes."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    host, port = ws_url.removeprefix("ws://").split(":")
    sock.connect((host, int(port)))
    connection = await websockets.connect(
        f"{ws_url}/ws/live/{slug}/", sock=sock, max_queue=1, max_size=None
    )
    hello = json.loads(await connection.recv())
    assert hello["type"] == "hello"
    return connection, hello["seq"]


async def test_stalled_reader_is_closed_and_resumes_with_since_getting_every_event_once(
    start_server: Any, article: Any, post: Any, ada: Any
) -> None:
    server = start_server(LIVEDESK_READER_QUEUE_SIZE="2")
    stalled, seen = await _stalled_reader(server.ws_url, article.slug)
    steady = await Reader(server.ws_url, article.slug).start()

    update = await post(f"Sources so far: {LINKS}")
    await sync_to_async(services.update_pin)(user=ada, update=update)
    for number in range(EDITS):
        await sync_to_async(services.update_edit)(
            user=ada, update=update, body=f"Sources so far ({number}): {LINKS}"
        )
    expected = list(range(article.seq + 1, article.seq + EDITS + 3))
    await steady.wait_for_seq(expected[-1])

    # The tunnel ends: read what the server managed to send before giving up.
    received: list[int] = []
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            message = json.loads(await asyncio.wait_for(stalled.recv(), 20))
            if message["type"] not in ("ping", "pong"):
                received.append(message["seq"])
    assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_TOO_SLOW
    assert received == expected[: len(received)] and len(received) < len(expected)

    # It comes back like live.js does, from the last seq it applied.
    since = received[-1] if received else seen
    resumed = await Reader(server.ws_url, article.slug, since=since).start()
    await resumed.wait_for_seq(expected[-1])
    await quiet()
    assert received + resumed.seqs == expected
    assert steady.seqs == expected
    await resumed.stop()
    await steady.stop()
