"""Who may open which socket, and what the desk is told (issue 3, test 7, and
presence across server processes)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
import websockets
from asgiref.sync import sync_to_async
from websockets.exceptions import ConnectionClosed, InvalidStatus

from liveblog.consumers import CLOSE_PROTOCOL
from tests.realtime.clients import WAIT_SECONDS, DeskSession, Reader


async def _desk_socket(server: Any, slug: str, *, cookie: str = "", origin: str | None = None) -> Any:
    return await websockets.connect(
        f"{server.ws_url}/ws/desk/{slug}/",
        origin=origin or server.url,
        additional_headers={"Cookie": cookie} if cookie else None,
        open_timeout=WAIT_SECONDS,
    )


async def _refused(server: Any, slug: str, **kwargs: Any) -> int:
    with pytest.raises(InvalidStatus) as refused:
        socket = await _desk_socket(server, slug, **kwargs)
        await socket.close()
    return refused.value.response.status_code


async def test_desk_socket_refuses_anonymous_other_newsroom_and_foreign_origin(
    asgi_server: Any, article: Any, ada: Any, rival: Any
) -> None:
    assert await _refused(asgi_server, article.slug) == 403

    rival_session = await sync_to_async(DeskSession)(asgi_server.url, "rival")
    assert await _refused(asgi_server, article.slug, cookie=rival_session.cookie_header) == 403

    ada_session = await sync_to_async(DeskSession)(asgi_server.url, "ada")
    assert (
        await _refused(
            asgi_server, article.slug, cookie=ada_session.cookie_header, origin="http://evil.example"
        )
        == 403
    )

    # The same editor from the site's own page is let in.
    socket = await _desk_socket(asgi_server, article.slug, cookie=ada_session.cookie_header)
    hello = json.loads(await asyncio.wait_for(socket.recv(), WAIT_SECONDS))
    assert hello == {"type": "hello", "seq": article.seq}
    await socket.close()
    rival_session.close()
    ada_session.close()


@pytest.mark.parametrize(
    "message", ['{"type": "update.created", "seq": 99}', "not json", '["ping"]']
)
async def test_reader_socket_closes_on_any_client_message_but_a_ping(
    asgi_server: Any, article: Any, message: str
) -> None:
    async with websockets.connect(f"{asgi_server.ws_url}/ws/live/{article.slug}/") as socket:
        assert json.loads(await socket.recv())["type"] == "hello"
        await socket.send('{"type": "ping"}')
        assert json.loads(await asyncio.wait_for(socket.recv(), WAIT_SECONDS)) == {"type": "pong"}

        await socket.send(message)
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), WAIT_SECONDS)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_PROTOCOL


async def test_reader_socket_for_an_unknown_or_draft_article_is_refused(
    asgi_server: Any, article: Any
) -> None:
    with pytest.raises((InvalidStatus, ConnectionClosed)):
        async with websockets.connect(f"{asgi_server.ws_url}/ws/live/no-such-article/") as socket:
            await asyncio.wait_for(socket.recv(), WAIT_SECONDS)


async def _presence_until(socket: Any, want: Any) -> dict[str, Any]:
    """Desk messages until a presence message satisfies ``want`` (presence is
    refreshed every few seconds)."""
    deadline = time.monotonic() + 30
    last: dict[str, Any] = {}
    while time.monotonic() < deadline:
        message = json.loads(await asyncio.wait_for(socket.recv(), 30))
        if message["type"] == "presence":
            last = message
            if want(message):
                return message
    raise AssertionError(f"presence never matched; last was {last}")


async def test_desk_counts_readers_on_every_server_process_and_names_editors_present(
    start_server: Any, article: Any, ada: Any
) -> None:
    first, second = start_server(), start_server()
    here = [await Reader(first.ws_url, article.slug).start() for _ in range(2)]
    there = [await Reader(second.ws_url, article.slug).start() for _ in range(3)]

    session = await sync_to_async(DeskSession)(first.url, "ada")
    desk = await _desk_socket(first, article.slug, cookie=session.cookie_header)
    seen = await _presence_until(desk, lambda m: m["readers"] == 5)
    assert seen["editors"] == ["ada"]

    for reader in there:
        await reader.stop()
    await _presence_until(desk, lambda m: m["readers"] == 2)

    await desk.close()
    session.close()
    for reader in here:
        await reader.stop()
