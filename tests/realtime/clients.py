"""Real clients for the real-time tests: a WebSocket reader that records exactly
what the server sent, and an HTTP desk session that posts like an editor's
browser (login form, CSRF token, session cookie)."""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import websockets
from websockets.exceptions import ConnectionClosed

from tests.factories import PASSWORD

WAIT_SECONDS = 20.0  # generous: CI machines are shared and slow


@dataclass
class Reader:
    """A reader socket on ``ws/live/<slug>/``.

    ``events`` holds every article event the server sent, in arrival order, over
    all connections, never deduplicated: a duplicate or a reordering by the
    server shows up in it.  With ``reconnect`` it behaves like ``live.js``: when
    the server closes the socket it reconnects with ``since`` = the last seq it
    received.
    """

    ws_url: str
    slug: str
    since: int | None = None
    reconnect: bool = False
    events: list[dict[str, Any]] = field(default_factory=list)
    hellos: list[int] = field(default_factory=list)
    resyncs: int = 0
    pings: int = 0
    close_codes: list[int | None] = field(default_factory=list)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None
    _socket: Any = None

    @property
    def seqs(self) -> list[int]:
        return [event["seq"] for event in self.events]

    @property
    def last_seq(self) -> int | None:
        if self.events:
            return self.events[-1]["seq"]
        return self.hellos[-1] if self.hellos else self.since

    def url(self) -> str:
        since = self.last_seq
        query = "" if since is None else f"?since={since}"
        return f"{self.ws_url}/ws/live/{self.slug}/{query}"

    async def start(self) -> Reader:
        self._task = asyncio.ensure_future(self._run())
        await asyncio.wait_for(self.connected.wait(), WAIT_SECONDS)
        return self

    async def _run(self) -> None:
        while True:
            try:
                async with websockets.connect(self.url(), open_timeout=WAIT_SECONDS) as socket:
                    self._socket = socket
                    async for raw in socket:
                        message = json.loads(raw)
                        kind = message["type"]
                        if kind == "hello":
                            self.hellos.append(message["seq"])
                            self.connected.set()
                        elif kind == "ping":
                            self.pings += 1
                        elif kind == "resync":
                            self.resyncs += 1
                        elif kind != "pong":
                            self.events.append(message)
                    self.close_codes.append(socket.close_code)
            except ConnectionClosed as closed:
                self.close_codes.append(closed.rcvd.code if closed.rcvd else None)
            if not self.reconnect:
                return
            await asyncio.sleep(0.05)

    async def wait_for_seq(self, seq: int, timeout: float = WAIT_SECONDS) -> None:
        """Until an event with this seq (or a newer one) has arrived."""
        deadline = time.monotonic() + timeout
        while not self.events or self.events[-1]["seq"] < seq:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"reader stopped at {self.seqs[-5:]} waiting for seq {seq}"
                )
            await asyncio.sleep(0.02)

    async def send(self, text: str) -> None:
        await self._socket.send(text)

    async def stop(self) -> None:
        self.reconnect = False
        if self._socket is not None:
            await self._socket.close()
        if self._task is not None:
            await asyncio.wait_for(self._task, WAIT_SECONDS)


async def quiet(seconds: float = 0.5) -> None:
    """Leave time for a duplicate to arrive, after everything expected has: an
    exactly-once assertion needs the chance to fail."""
    await asyncio.sleep(seconds)


class DeskSession:
    """An editor logged in through the real login form of one server."""

    def __init__(self, base_url: str, username: str) -> None:
        self.base_url = base_url
        self.client = httpx.Client(base_url=base_url, timeout=WAIT_SECONDS)
        page = self.client.get("/accounts/login/")
        response = self.client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": _csrf(page.text),
            },
            headers={"Referer": f"{base_url}/accounts/login/"},
        )
        assert response.status_code == 302, response.text[:500]

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.client.cookies.items())

    def post_update(self, slug: str, body: str) -> None:
        desk = self.client.get(f"/desk/{slug}/")
        response = self.client.post(
            f"/desk/{slug}/post/",
            data={"body": body, "kind": "update", "csrfmiddlewaretoken": _csrf(desk.text)},
            headers={"Referer": f"{self.base_url}/desk/{slug}/"},
        )
        assert response.status_code == 302, response.text[:500]

    def close(self) -> None:
        self.client.close()


def _csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def page_seq(base_url: str, slug: str) -> int:
    """The seq the reader page was rendered at (what live.js starts from)."""
    html = httpx.get(f"{base_url}/live/{slug}/", timeout=WAIT_SECONDS).text
    match = re.search(r'id="ld-live"[^>]*data-seq="(\d+)"', html)
    assert match, "no data-seq on the reader page"
    return int(match.group(1))
