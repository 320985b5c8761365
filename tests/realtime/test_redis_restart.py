"""A Redis restart loses nothing (issue 3, test 4).

The test owns its redis-server (on a fixed port, so it comes back at the same
address); the server subprocess and the services in this process both use it.
Updates posted while Redis is down are committed with their events but never
published: the server's hub must find them in the database once its
subscription is back, and hand each to every reader exactly once.
"""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsroom.embedded import free_port, start_redis
from tests.realtime.clients import Reader, quiet


class OwnRedis:
    """A redis-server this test may stop and start again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="livedesk-own-redis-"))
        self.process: Any = None
        self.url = ""

    def start(self) -> None:
        self.process, self.url = start_redis(directory=self.directory, port=self.port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # as abrupt as a crash: no goodbye to clients
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(settings: Any) -> Iterator[OwnRedis]:
    redis = OwnRedis()
    redis.start()
    # The services in this process publish to the same Redis as the server.
    settings.REDIS_URL = redis.url
    settings.LIVEDESK_REDIS_PREFIX = f"ldrestart-{uuid.uuid4().hex[:8]}"
    yield redis
    redis.stop()


async def test_readers_end_with_every_update_once_when_redis_restarts_during_posting(
    own_redis: OwnRedis, start_server: Any, settings: Any, article: Any, post: Any
) -> None:
    server = start_server(
        REDIS_URL=own_redis.url, LIVEDESK_REDIS_PREFIX=settings.LIVEDESK_REDIS_PREFIX
    )
    start = article.seq
    readers = [await Reader(server.ws_url, article.slug).start() for _ in range(3)]

    for number in range(5):
        await post(f"Before the outage {number}")
    await asyncio.gather(*(r.wait_for_seq(start + 5) for r in readers))

    own_redis.stop()
    for number in range(5):
        await post(f"During the outage {number}")  # committed; the publish fails
    # A reader arriving during the outage is served from the database at once.
    latecomer = await Reader(server.ws_url, article.slug, since=start).start()
    for number in range(5):
        await post(f"Still down {number}")

    own_redis.start()
    for number in range(5):
        await post(f"After the restart {number}")
        await asyncio.sleep(0.05)

    everyone = [*readers, latecomer]
    await asyncio.gather(*(r.wait_for_seq(start + 20) for r in everyone))
    await quiet(1.0)

    expected = list(range(start + 1, start + 21))
    assert [r.seqs for r in everyone] == [expected] * 4
    assert "After the restart 4" in latecomer.events[-1]["update"]["card"]
    for r in everyone:
        await r.stop()


async def test_quiet_article_catches_up_after_redis_restart_without_a_new_update(
    own_redis: OwnRedis, start_server: Any, settings: Any, article: Any, post: Any
) -> None:
    server = start_server(
        REDIS_URL=own_redis.url, LIVEDESK_REDIS_PREFIX=settings.LIVEDESK_REDIS_PREFIX
    )
    reader = await Reader(server.ws_url, article.slug).start()
    own_redis.stop()
    await post("The only update, posted while Redis is down")
    own_redis.start()

    await reader.wait_for_seq(article.seq + 1)
    await quiet()
    assert reader.seqs == [article.seq + 1]
    await reader.stop()
