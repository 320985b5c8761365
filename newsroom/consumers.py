"""The desk socket ``ws/desk/<slug>/``: editors of the article's newsroom only.

It streams the article's events (through the same hub as readers), joins the
article's desk group on the channel layer for suggestions and presence, and
every few seconds tells the desk how many readers are connected and which
editors are on the article.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from liveblog.conf import liveblog_settings
from liveblog.fanout import PRESENCE_REFRESH_SECONDS, get_hub, readers_connected

CLOSE_FORBIDDEN = 4403
# An editor counts as present while their socket refreshed within this window.
EDITOR_PRESENCE_TTL_SECONDS = 20.0


def desk_group(article_id: int) -> str:
    return f"desk.{article_id}"


def _article_for_desk(user: Any, slug: str) -> tuple[int, int] | None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from liveblog.selectors import article_for_edit

    try:
        article = article_for_edit(user=user, slug=slug)
    except (PermissionDenied, Http404):
        return None
    return article.pk, article.seq


article_for_desk = database_sync_to_async(_article_for_desk)


class DeskConsumer(AsyncJsonWebsocketConsumer):
    """Two-way socket for the editors of one article."""

    counts_as_reader = False

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        found = await article_for_desk(user, self.scope["url_route"]["kwargs"]["slug"])
        if found is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.article_id, seq = found
        self.username = user.get_username()
        self.group = desk_group(self.article_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.hub = get_hub()
        await self.hub.add(self.article_id, self)
        await self.send_json({"type": "hello", "seq": seq})
        self.presence_task = asyncio.ensure_future(self._presence_loop())

    def deliver(self, seq: int, text: str) -> None:
        if seq:  # desks do not need the readers' heartbeat
            asyncio.ensure_future(self.send(text_data=text))

    async def _presence_loop(self) -> None:
        redis = self.hub._redis
        key = f"{liveblog_settings.REDIS_PREFIX}:editors:{self.article_id}"
        while True:
            redis = self.hub._redis
            if redis is not None:
                try:
                    now = time.time()
                    await redis.hset(key, self.channel_name, f"{self.username} {now + EDITOR_PRESENCE_TTL_SECONDS}")
                    await redis.expire(key, int(EDITOR_PRESENCE_TTL_SECONDS * 3))
                    editors = sorted(
                        {
                            value.decode().split()[0]
                            for value in (await redis.hgetall(key)).values()
                            if float(value.decode().split()[1]) > now
                        }
                    )
                    readers = await readers_connected(redis, self.article_id)
                    await self.send_json({"type": "presence", "readers": readers, "editors": editors})
                except Exception:
                    pass
            await asyncio.sleep(PRESENCE_REFRESH_SECONDS)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def desk_message(self, event: dict[str, Any]) -> None:
        """Anything the worker or another editor sends the desk group."""
        await self.send_json(event["payload"])

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "presence_task"):
            self.presence_task.cancel()
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if hasattr(self, "hub"):
            self.hub.remove(self.article_id, self)
            redis = self.hub._redis
            if redis is not None:
                try:
                    key = f"{liveblog_settings.REDIS_PREFIX}:editors:{self.article_id}"
                    await redis.hdel(key, self.channel_name)
                except Exception:
                    pass
