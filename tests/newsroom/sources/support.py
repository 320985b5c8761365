"""Database-side helpers for the sources tests: a watched source, a listener on
the real channel layer (what the desk socket would receive), eager Celery.

Import the fixtures into a test module by name (``from ... import *`` is not
used: each module lists what it takes)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from newsroom import celery_app
from newsroom.sources.models import ArticleWatch, SignalSource, SourceKind
from tests.newsroom.sources.conftest import read_fixture


@pytest.fixture
def allow_private(settings: Any) -> None:
    """The tests' sources live on 127.0.0.1, which production refuses."""
    settings.LIVEDESK_SOURCES_ALLOW_PRIVATE = True


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Run ``.delay()`` inline: nothing is left queued for another test's worker."""
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = False


def watched_source(article: Any, *, kind: str, url: str = "", name: str = "GitHub", **extra: Any) -> SignalSource:
    source = SignalSource.objects.create(
        newsroom=article.newsroom, name=name, kind=kind, url=url, **extra
    )
    ArticleWatch.objects.create(article=article, source=source)
    return source


def serve_json(server: Any, path: str, fixture: str) -> str:
    return server.route(
        path, body=read_fixture(fixture), headers={"Content-Type": "application/json"}
    )


class DeskListener:
    """A channel in the article's desk group on the real channel layer: it
    receives exactly what every editor's desk socket is sent.  It owns its
    layer instance and event loop (channels_redis binds receive buffers to one
    loop), and is used from synchronous tests."""

    def __init__(self, article_id: int) -> None:
        from channels.layers import channel_layers

        self.loop = asyncio.new_event_loop()
        self.layer = channel_layers.make_backend("default")
        self.group = f"desk.{article_id}"
        self.channel = self.loop.run_until_complete(self.layer.new_channel())
        self.loop.run_until_complete(self.layer.group_add(self.group, self.channel))

    def messages(self, timeout: float = 0.5) -> list[dict[str, Any]]:
        """Everything received until ``timeout`` seconds pass with nothing new."""

        async def drain() -> list[dict[str, Any]]:
            got = []
            while True:
                try:
                    event = await asyncio.wait_for(self.layer.receive(self.channel), timeout)
                except asyncio.TimeoutError:
                    return got
                got.append(event["payload"])

        return self.loop.run_until_complete(drain())

    def close(self) -> None:
        self.loop.run_until_complete(self.layer.group_discard(self.group, self.channel))
        self.loop.close()


@pytest.fixture
def desk_listener(article: Any) -> Iterator[DeskListener]:
    listener = DeskListener(article.pk)
    yield listener
    listener.close()


def types_of(messages: list[dict[str, Any]]) -> list[str]:
    return [message["type"] for message in messages]


def dumps(data: Any) -> bytes:
    return json.dumps(data).encode()
