"""WebSocket consumers.  Thin: authenticate, authorise, subscribe, replay, send.

``ReaderConsumer`` (``ws/live/<slug>/?since=<seq>``) is receive-only and never
touches the channel layer: the process's ``Hub`` hands it pre-encoded events.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from liveblog.conf import liveblog_settings
from liveblog.fanout import Hub, events_after, get_hub

logger = logging.getLogger(__name__)

CLOSE_NOT_FOUND = 4404
CLOSE_PROTOCOL = 4400  # the reader sent something other than a ping
CLOSE_TOO_SLOW = 4008  # the reader fell too far behind; reconnect with `since`

HELLO = '{"type":"hello","seq":%d}'
RESYNC = '{"type":"resync","seq":%d}'
PONG = '{"type":"pong"}'


def _article_state(slug: str) -> tuple[int, int] | None:
    from liveblog.models import ArticleStatus, LiveArticle

    row = (
        LiveArticle.objects.filter(slug=slug, status__in=[ArticleStatus.LIVE, ArticleStatus.ENDED])
        .values_list("pk", "seq")
        .first()
    )
    return row


article_state = database_sync_to_async(_article_state)


def parse_since(query_string: bytes) -> int | None | str:
    """``since`` from the query: an int, None when absent, "bad" when unusable."""
    values = parse_qs(query_string.decode("latin-1")).get("since")
    if not values:
        return None
    value = values[0]
    if not value.isdigit():
        return "bad"
    return int(value)


class ReaderConsumer(AsyncWebsocketConsumer):
    """A reader's live stream: hello, replay from ``since``, then live events.

    Invariant: every event after the reader's position is sent exactly once and
    in order.  The reader is registered with the hub before the replay is read
    from the database, and events are skipped when their seq is not newer than
    the last one sent, so an event published between the two is neither lost
    nor doubled.
    """

    # Readers never get a channel-layer channel: the hub does their fan-out.
    channel_layer_alias = "livedesk.readers.no-channel-layer"
    counts_as_reader = True

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        state = await article_state(slug)
        if state is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.article_id, _ = state
        # Events waiting while the reader replays or its socket is backed up.
        self.backlog: collections.deque[tuple[int, str]] = collections.deque()
        self.backlog_limit = liveblog_settings.READER_QUEUE_SIZE
        self.streaming = False  # replay done: live events may be sent directly
        self.last_sent = 0
        self.overflowed = False
        self.sender: asyncio.Task[None] | None = None
        await self.accept()
        self.hub: Hub = get_hub()
        await self.hub.add(self.article_id, self, slug=slug)  # join first, then replay
        await self._start_stream(parse_since(self.scope.get("query_string", b"")))

    async def _start_stream(self, since: int | None | str) -> None:
        state = await article_state(self.scope["url_route"]["kwargs"]["slug"])
        current = state[1] if state else 0
        await self.send(text_data=HELLO % current)
        if since is None or since == "bad" or (isinstance(since, int) and since > current):
            if since is not None:
                await self.send(text_data=RESYNC % current)
            self.last_sent = current
        else:
            self.last_sent = since
            for seq, text in await events_after(self.article_id, since):
                if seq > self.last_sent:
                    await self.send(text_data=text)
                    self.last_sent = seq
        # Live events that arrived during the replay, then straight to live:
        # no await between the backlog emptying and `streaming`, so none slips.
        await self._drain()
        self.streaming = True

    def deliver(self, seq: int, text: str) -> None:
        """Called by the hub for each event; never blocks.

        The hot path, once per event per reader.  A reader whose socket can take
        the frame now is written to right here, inside the hub's loop over its
        readers: no queue, no task wake-up (``_send_now``).  Only a reader that
        is still replaying, or whose socket is backed up, gets the event queued
        for its own sender task.  Nothing is encoded or queried per reader.
        """
        if seq and seq <= self.last_sent:
            return
        if self.sender is None and self.streaming and not self.backlog:
            if seq:
                self.last_sent = seq
            self._send_now(text)
            return
        if len(self.backlog) >= self.backlog_limit:
            if not self.overflowed:
                self.overflowed = True
                logger.info("reader on article %s fell behind; closing", self.article_id)
                asyncio.ensure_future(self._close_slow())
            return
        self.backlog.append((seq, text))

    def _send_now(self, text: str) -> None:
        """Run the server's send for one frame eagerly.

        uvicorn's send only suspends when the socket's buffer is full; otherwise
        it writes to the transport and returns without yielding.  Stepping the
        coroutine by hand keeps that common case free of any task switch; when
        it does suspend, a sender task finishes it and drains the backlog.
        """
        sending = self.base_send({"type": "websocket.send", "text": text})
        try:
            waiting_on = sending.send(None)
        except StopIteration:
            return
        except Exception:
            return  # the socket is gone; disconnect() cleans up
        self.sender = asyncio.ensure_future(self._finish(sending, waiting_on))

    async def _finish(self, sending: Any, waiting_on: Any) -> None:
        try:
            while True:
                if waiting_on is None:
                    await asyncio.sleep(0)
                else:
                    await asyncio.wait([waiting_on])
                try:
                    waiting_on = sending.send(None)
                except StopIteration:
                    break
            await self._drain()
        except asyncio.CancelledError:
            sending.close()
            raise
        except Exception:
            return
        finally:
            if self.sender is asyncio.current_task():
                self.sender = None

    async def _drain(self) -> None:
        """Send the backlog in order, skipping what was already sent."""
        send = self.base_send
        while self.backlog:
            seq, text = self.backlog.popleft()
            if seq == 0:
                await send({"type": "websocket.send", "text": text})
            elif seq > self.last_sent:
                self.last_sent = seq
                await send({"type": "websocket.send", "text": text})

    async def _close_slow(self) -> None:
        if self.sender is not None:
            self.sender.cancel()
        await self.close(code=CLOSE_TOO_SLOW)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Readers may only ping; anything else closes the socket."""
        try:
            message: Any = json.loads(text_data or "")
        except ValueError:
            message = None
        if isinstance(message, dict) and message.get("type") == "ping":
            await self.send(text_data=PONG)
            return
        await self.close(code=CLOSE_PROTOCOL)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "sender", None) is not None:
            self.sender.cancel()
        if getattr(self, "hub", None) is not None:
            self.hub.remove(self.article_id, self)
