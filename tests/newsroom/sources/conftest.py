"""Fixtures for the outage-signal core: recorded payloads and a scripted HTTP server.

The server is a real `ThreadingHTTPServer` on 127.0.0.1 and a free port. Each
test scripts its routes (status, headers, body, delays, dripped chunks) and
can read back the requests it received, so fetching is tested against real
sockets, real timeouts and real HTTP framing — never the internet.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "signals"


def read_fixture(name: str) -> bytes:
    """The bytes of a recorded payload in tests/fixtures/signals/."""
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def fixture_bytes() -> Callable[[str], bytes]:
    return read_fixture


@dataclass
class Route:
    """A scripted answer. `handler`, when given, computes (status, headers, body)
    from the request headers instead."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds before the status line: a slow server
    chunks: list[bytes] | None = None  # sent one by one, `chunk_delay` apart
    chunk_delay: float = 0.0
    send_length: bool = True  # False: no Content-Length, body ends at close
    declared_length: int | None = None  # lie about Content-Length (truncation)
    handler: Callable[[dict[str, str]], tuple[int, dict[str, str], bytes]] | None = None


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class ScriptedServer:
    """Serves `Route`s by path on 127.0.0.1 and records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                headers = {key.lower(): value for key, value in self.headers.items()}
                server.requests.append(Seen(self.path, headers))
                route = server.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    route = Route(status=404, body=b"not found")
                if route.delay:
                    time.sleep(route.delay)
                status, extra, body = route.status, dict(route.headers), route.body
                if route.handler is not None:
                    status, extra, body = route.handler(headers)
                try:
                    self.send_response(status)
                    for key, value in extra.items():
                        self.send_header(key, value)
                    if route.chunks is not None:
                        self.end_headers()
                        for chunk in route.chunks:
                            self.wfile.write(chunk)
                            self.wfile.flush()
                            time.sleep(route.chunk_delay)
                        return
                    if route.declared_length is not None:
                        self.send_header("Content-Length", str(route.declared_length))
                    elif route.send_length:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first, as some tests intend

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output clean

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def route(self, path: str, **answer: object) -> str:
        """Script `path` and return its full URL."""
        self.routes[path] = Route(**answer)  # type: ignore[arg-type]
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def http_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
