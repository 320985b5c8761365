"""End to end on the real pieces: a local status page changes state, a real
Celery worker polls it, the suggestion reaches an editor's desk socket on real
uvicorn, the editor publishes it, and a reader's socket receives the update."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
import websockets
from asgiref.sync import sync_to_async

from newsroom.sources.models import SignalSource, SourceKind
from newsroom.sources.tasks import poll_source
from tests.newsroom.sources.support import serve_json, watched_source
from tests.realtime.clients import WAIT_SECONDS, DeskSession, Reader, _csrf
from tests.support.servers import CeleryWorker


async def _until(condition: Any, what: str, timeout: float = WAIT_SECONDS) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = await sync_to_async(condition)()
        if result:
            return result
        await asyncio.sleep(0.1)
    raise AssertionError(f"waited {timeout:g} s for {what}")


async def _next_of_type(socket: Any, kind: str) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        while True:
            message = json.loads(await socket.recv())
            if message.get("type") == kind:
                return message

    return await asyncio.wait_for(read(), WAIT_SECONDS)


@pytest.mark.django_db(transaction=True)
async def test_a_status_page_change_reaches_the_desk_and_once_published_the_readers(
    asgi_server: Any, article: Any, ada: Any, http_server: Any
) -> None:
    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-groups-operational.json")
    source = await sync_to_async(watched_source)(
        article, kind=SourceKind.STATUSPAGE, url=http_server.url("/"), name="Chirp"
    )
    worker = await sync_to_async(CeleryWorker(LIVEDESK_SOURCES_ALLOW_PRIVATE="true").start)()
    session = await sync_to_async(DeskSession)(asgi_server.url, "ada")
    desk = await websockets.connect(
        f"{asgi_server.ws_url}/ws/desk/{article.slug}/",
        origin=asgi_server.url,
        additional_headers={"Cookie": session.cookie_header},
        open_timeout=WAIT_SECONDS,
    )
    reader = await Reader(asgi_server.ws_url, article.slug).start()
    try:
        poll_source.delay(source.pk)  # the baseline, as the beat would enqueue it
        await _until(
            lambda: SignalSource.objects.get(pk=source.pk).last_success_at, "the baseline poll"
        )

        serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-groups-major.json")
        poll_source.delay(source.pk)
        created = await _next_of_type(desk, "suggestion.created")
        assert "Chirp" in created["html"] and "Publish" in created["html"]

        def publish() -> Any:
            page = session.client.get(f"/desk/{article.slug}/")
            return session.client.post(
                f"/desk/suggestions/{created['id']}/publish/",
                data={"csrfmiddlewaretoken": _csrf(page.text)},
                headers={"Accept": "application/json", "Referer": f"{asgi_server.url}/desk/"},
            )

        response = await sync_to_async(publish)()
        assert response.status_code == 200, response.text[:300]
        handled = await _next_of_type(desk, "suggestion.handled")
        assert (handled["id"], handled["state"], handled["handled_by"]) == (
            created["id"], "published", "ada",
        )

        await reader.wait_for_seq(article.seq + 1)
        event = reader.events[-1]
        assert event["type"] == "update.created"
        assert "Chirp" in event["update"]["card"] and "Timelines" in event["update"]["card"]
    finally:
        await desk.close()
        await reader.stop()
        await sync_to_async(session.close)()
        await sync_to_async(worker.stop)()
