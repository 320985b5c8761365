from __future__ import annotations

import asyncio
import json

import websockets
from asgiref.sync import sync_to_async

from liveblog import services


async def test_reader_receives_update_posted_after_connecting(asgi_server, article, ada):
    async with websockets.connect(f"{asgi_server.ws_url}/ws/live/{article.slug}/") as ws:
        hello = json.loads(await ws.recv())
        assert hello["type"] == "hello"
        await sync_to_async(services.update_publish)(user=ada, article=article, body="First **update**")
        event = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert event["type"] == "update.created"
        assert "<strong>update</strong>" in event["update"]["card"]
