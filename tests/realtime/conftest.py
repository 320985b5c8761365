"""Fixtures for the real-time tests: servers started with their own settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from liveblog import services
from tests.support.servers import AsgiServer


@pytest.fixture
def start_server(transactional_db: Any) -> Iterator[Callable[..., AsgiServer]]:
    """Start real uvicorn servers on the test database; ``env`` overrides the
    child's environment (e.g. ``LIVEDESK_READER_QUEUE_SIZE``).  All are stopped
    at the end of the test."""
    servers: list[AsgiServer] = []

    def start(**env: str) -> AsgiServer:
        server = AsgiServer(**env).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def post(ada: Any, article: Any) -> Callable[..., Any]:
    """Post an update as ada through the service, from async code."""

    async def post(body: str) -> Any:
        return await sync_to_async(services.update_publish)(user=ada, article=article, body=body)

    return post
