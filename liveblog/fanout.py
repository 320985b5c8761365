"""Per-process fan-out of article events to reader sockets.

channels_redis's ``group_send`` fetches every member's channel name from Redis
on each send and drops group messages past a per-process capacity, so reader
sockets do not use the channel layer at all.  Instead each server process keeps:

- one Redis subscription per article that has local readers (one connection,
  one listener task for all of them);
- a registry of that article's local readers;
- the last ``seq`` it delivered per article.

An event is one ``PUBLISH`` of the pre-encoded text; the listener hands that
same string to each local reader's small bounded queue.  Nothing is encoded
per reader.  The listener heals holes itself: an event whose ``seq`` skips ahead
(a lost publish), or a reconnect after Redis went away, makes it read the
missing events from the database once for the whole process.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import time
import uuid
from typing import Protocol

import redis.asyncio as aioredis
from channels.db import database_sync_to_async
from redis.exceptions import RedisError

from liveblog.conf import liveblog_settings
from liveblog.events import channel_name

logger = logging.getLogger(__name__)

PING_MESSAGE = '{"type":"ping"}'
# How often a process refreshes its per-article reader counts in Redis, and how
# long a count stays valid without a refresh (a dead process's count expires).
PRESENCE_REFRESH_SECONDS = 5.0
PRESENCE_TTL_SECONDS = 20.0
_RECONNECT_CAP_SECONDS = 5.0
# How long a connecting reader waits for this process's subscription before it is
# served from the database alone (Redis down): short, a reader must not hang.
SUBSCRIBE_WAIT_SECONDS = 2.0


class Reader(Protocol):
    """A local connection that receives an article's events."""

    def deliver(self, seq: int, text: str) -> None:
        """Queue one pre-encoded event; must not block."""


def _events_after(article_id: int, since: int) -> list[tuple[int, str]]:
    from liveblog.selectors import events_since

    rows: list[tuple[int, str]] = []
    while True:
        page = events_since(article_id=article_id, since=since)
        rows.extend(page)
        if len(page) < 500:
            return rows
        since = page[-1][0]


def _current_seq(article_id: int) -> int:
    from liveblog.models import LiveArticle

    return LiveArticle.objects.filter(pk=article_id).values_list("seq", flat=True).first() or 0


def _current_seqs(article_ids: list[int]) -> dict[int, int]:
    from liveblog.models import LiveArticle

    return dict(LiveArticle.objects.filter(pk__in=article_ids).values_list("pk", "seq"))


events_after = database_sync_to_async(_events_after)
current_seq = database_sync_to_async(_current_seq)
current_seqs = database_sync_to_async(_current_seqs)


def readers_key(article_id: int) -> str:
    return f"{liveblog_settings.REDIS_PREFIX}:readers:{article_id}"


class Hub:
    """The process's registry of local readers and its Redis subscription."""

    def __init__(self) -> None:
        self.process_id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._readers: dict[int, set[Reader]] = {}
        self._last_seq: dict[int, int] = {}
        self._confirmed: dict[int, asyncio.Event] = {}
        # Articles whose events may have been missed while unsubscribed (Redis
        # was away): caught up from the database as soon as the subscription is
        # confirmed, so nothing published before that moment can slip through.
        self._stale: set[int] = set()
        self._presence_published: set[int] = set()
        self._redis: aioredis.Redis | None = None
        self._pubsub: aioredis.client.PubSub | None = None
        self._listener: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._presence: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._slugs: dict[str, int] = {}

    # Registry ---------------------------------------------------------------

    async def add(self, article_id: int, reader: Reader, *, slug: str | None = None) -> None:
        """Register a reader; returns once this process is subscribed to the
        article, so that any event published from now on reaches the reader."""
        self._start()
        if slug is not None:
            self._slugs[slug] = article_id
        readers = self._readers.setdefault(article_id, set())
        readers.add(reader)
        if article_id not in self._confirmed:
            self._confirmed[article_id] = asyncio.Event()
            if self._connected.is_set() and self._pubsub is not None:
                try:
                    await self._pubsub.subscribe(channel_name(article_id))
                except (RedisError, OSError):
                    logger.warning("subscribe failed; the listener will resubscribe")
        try:
            await asyncio.wait_for(
                self._confirmed[article_id].wait(), SUBSCRIBE_WAIT_SECONDS
            )
        except TimeoutError:
            # Redis is away.  The reader still gets its replay from the database
            # now; the article is caught up from the database the moment its
            # subscription is confirmed, and the reader drops what it already has.
            self._stale.add(article_id)
        if article_id not in self._last_seq:
            self._last_seq[article_id] = await current_seq(article_id)

    def remove(self, article_id: int, reader: Reader) -> None:
        readers = self._readers.get(article_id)
        if readers is None:
            return
        readers.discard(reader)
        if not readers:
            del self._readers[article_id]
            self._confirmed.pop(article_id, None)
            self._last_seq.pop(article_id, None)
            for slug in [slug for slug, known in self._slugs.items() if known == article_id]:
                del self._slugs[slug]
            self._stale.discard(article_id)
            if self._pubsub is not None and self._connected.is_set():
                asyncio.ensure_future(self._unsubscribe(article_id))

    def local_readers(self, article_id: int) -> int:
        return len(self._readers.get(article_id, ()))

    def current_version(self, slug: str) -> tuple[int, int] | None:
        """(article id, seq) of an article this process is subscribed to, when that
        seq is known to be current: subscription confirmed, Redis connected, no
        catch-up pending.  None whenever in doubt (the caller asks Django)."""
        article_id = self._slugs.get(slug)
        if article_id is None or not self._connected.is_set() or article_id in self._stale:
            return None
        confirmed = self._confirmed.get(article_id)
        seq = self._last_seq.get(article_id)
        if confirmed is None or not confirmed.is_set() or seq is None:
            return None
        return article_id, seq

    def known_seq(self, article_id: int) -> int | None:
        """The newest seq this process has delivered for the article, if watched."""
        return self._last_seq.get(article_id)

    async def _unsubscribe(self, article_id: int) -> None:
        if article_id in self._readers or self._pubsub is None:
            return  # a reader arrived meanwhile
        try:
            await self._pubsub.unsubscribe(channel_name(article_id))
        except (RedisError, OSError):
            pass

    # Delivery ---------------------------------------------------------------

    def _dispatch(self, article_id: int, seq: int, text: str) -> None:
        for reader in tuple(self._readers.get(article_id, ())):
            reader.deliver(seq, text)
        if seq > self._last_seq.get(article_id, 0):
            self._last_seq[article_id] = seq

    async def _on_event(self, article_id: int, text: str) -> None:
        try:
            seq = int(json.loads(text)["seq"])
        except (ValueError, KeyError, TypeError):
            logger.warning("dropping malformed event on article %s", article_id)
            return
        if article_id not in self._readers:
            return  # a late message after the last local reader left
        last = self._last_seq.get(article_id)
        if last is not None and seq <= last:
            return  # already delivered (a catch-up got there first)
        if last is not None and seq > last + 1:
            # A publish was lost (publisher died after commit, Redis blinked):
            # fill the hole from the outbox once for the whole process.
            await self._catch_up(article_id)
            if seq <= self._last_seq.get(article_id, 0):
                return
        self._dispatch(article_id, seq, text)

    async def _catch_up(self, article_id: int) -> None:
        if article_id not in self._last_seq:
            return  # its first reader is still reading the current seq: nothing to heal
        since = self._last_seq[article_id]
        for seq, text in await events_after(article_id, since):
            self._dispatch(article_id, seq, text)

    # Background tasks -------------------------------------------------------

    def _start(self) -> None:
        if self._listener is None or self._listener.done():
            self._listener = asyncio.ensure_future(self._listen())
        if self._heartbeat is None or self._heartbeat.done():
            self._heartbeat = asyncio.ensure_future(self._beat())
        if self._presence is None or self._presence.done():
            self._presence = asyncio.ensure_future(self._publish_presence())

    async def _connect(self) -> set[int]:
        self._redis = aioredis.Redis.from_url(
            liveblog_settings.REDIS_URL,
            socket_connect_timeout=2,
            health_check_interval=10,
        )
        self._pubsub = self._redis.pubsub()
        # A pubsub connection only reads once it has a subscription: the hub's own
        # channel keeps it reading even when no article is watched.
        articles = set(self._readers)
        await self._pubsub.subscribe(
            f"{liveblog_settings.REDIS_PREFIX}:hub", *(channel_name(a) for a in articles)
        )
        return articles

    async def _listen(self) -> None:
        """Read the subscription forever; on any Redis failure reconnect with
        backoff, then catch every watched article up from the database."""
        prefix = f"{liveblog_settings.REDIS_PREFIX}:article:"
        failures = 0
        while True:
            try:
                if failures:
                    # Whatever was published while unsubscribed is only in the
                    # database: catch up each article once it is subscribed again.
                    self._stale.update(self._readers)
                subscribed = await self._connect()
                self._connected.set()
                # Readers that arrived while connecting were not subscribed by
                # `add` (not connected yet) nor by `_connect` (not listed yet).
                late = [channel_name(a) for a in self._readers if a not in subscribed]
                if late:
                    await self._pubsub.subscribe(*late)  # type: ignore[union-attr]
                if failures:
                    logger.info("fan-out subscription restored; catching readers up")
                failures = 0
                assert self._pubsub is not None
                while True:
                    message = await self._pubsub.get_message(timeout=30.0)
                    if message is None:
                        continue
                    channel = message["channel"].decode()
                    if not channel.startswith(prefix):
                        continue
                    article_id = int(channel[len(prefix):])
                    if message["type"] == "subscribe":
                        if article_id in self._stale:
                            self._stale.discard(article_id)
                            await self._catch_up(article_id)
                        confirmed = self._confirmed.get(article_id)
                        if confirmed is not None:
                            confirmed.set()
                    elif message["type"] == "message":
                        await self._on_event(article_id, message["data"].decode())
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis gone, or anything odd: never die, resync
                self._connected.clear()
                failures += 1
                delay = min(_RECONNECT_CAP_SECONDS, 0.1 * 2**failures) * random.uniform(0.5, 1)
                logger.warning("fan-out subscription lost (%s); retrying in %.1fs", failures, delay)
                await self._close_quietly()
                await asyncio.sleep(delay)

    async def _close_quietly(self) -> None:
        for closer in (self._pubsub, self._redis):
            if closer is not None:
                try:
                    await closer.aclose()
                except Exception:
                    pass
        self._pubsub = None

    async def heal(self) -> None:
        """Catch up every watched article whose database seq is ahead of what this
        process delivered: one query for all of them.

        A lost publish is otherwise noticed only when the next event arrives; the
        newest event of a quiet article would wait for it indefinitely.
        """
        watched = [a for a in self._readers if a in self._last_seq]
        if not watched:
            return
        for article_id, seq in (await current_seqs(watched)).items():
            if seq > self._last_seq.get(article_id, seq):
                logger.info("article %s: a publish was lost; healing", article_id)
                await self._catch_up(article_id)

    async def _beat(self) -> None:
        """An application-level ping, one pre-encoded string for everyone, so
        proxies never see an idle socket; and, at the same pace, a check that no
        publish was lost (see ``heal``)."""
        while True:
            await asyncio.sleep(liveblog_settings.HEARTBEAT_SECONDS)
            try:
                await self.heal()
            except Exception:  # the database blinked: the next beat tries again
                logger.warning("fan-out heal failed", exc_info=True)
            for readers in list(self._readers.values()):
                for reader in tuple(readers):
                    reader.deliver(0, PING_MESSAGE)

    async def _publish_presence(self) -> None:
        """Every few seconds, this process's reader count per article goes into a
        Redis hash (field: process, value: "count expiry"); desks sum them."""
        while True:
            await asyncio.sleep(PRESENCE_REFRESH_SECONDS)
            if self._redis is None or not self._connected.is_set():
                continue
            expiry = time.time() + PRESENCE_TTL_SECONDS
            try:
                pipe = self._redis.pipeline(transaction=False)
                # An article whose last local reader left must stop counting now,
                # not when its entry expires.
                for article_id in self._presence_published - set(self._readers):
                    pipe.hdel(readers_key(article_id), self.process_id)
                self._presence_published = set(self._readers)
                for article_id, readers in self._readers.items():
                    counted = sum(1 for r in readers if getattr(r, "counts_as_reader", True))
                    pipe.hset(readers_key(article_id), self.process_id, f"{counted} {expiry}")
                    pipe.expire(readers_key(article_id), int(PRESENCE_TTL_SECONDS * 3))
                await pipe.execute()
            except (RedisError, OSError):
                pass


async def readers_connected(redis_client: aioredis.Redis, article_id: int) -> int:
    """Readers of the article across all server processes right now."""
    now = time.time()
    total = 0
    for value in (await redis_client.hgetall(readers_key(article_id))).values():
        count, expiry = value.decode().split()
        if float(expiry) > now:
            total += int(count)
    return total


_hubs: dict[int, Hub] = {}


def get_hub() -> Hub:
    """The hub of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(id(loop))
    if hub is None:
        hub = _hubs[id(loop)] = Hub()
    return hub
