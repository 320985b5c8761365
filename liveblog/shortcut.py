"""Conditional polls of the events endpoint answered without entering Django.

During a spike, polling readers and CDNs revalidate
``/api/v1/articles/<slug>/events/?since=<seq>`` with ``If-None-Match`` every
couple of seconds, and nearly always nothing is new.  A full Django request
costs tens of times a bare ASGI answer (PERFORMANCE.md), yet every server
process that has socket readers of the article already knows its current seq
from the fan-out subscription.  So this ASGI wrapper answers 304 itself when the
client's ETag names that seq, and hands everything else — a first poll, a
changed article, an article this process does not watch, any doubt about the
subscription — to Django, whose view builds the same ETag.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from liveblog.conf import liveblog_settings
from liveblog.fanout import get_hub

_EVENTS_PATH = re.compile(r"/api/v1/articles/(?P<slug>[-a-zA-Z0-9_]+)/events/")
ANSWERED_BY = (b"x-livedesk-answered-by", b"shortcut")


def events_etag(article_id: int, seq: int, since: int) -> str:
    """The events endpoint's ETag; the view and this shortcut share it."""
    return f'"ev-{article_id}-{seq}-{since}"'


@lru_cache(maxsize=8)
def _cache_control(max_age: int) -> bytes:
    # Built by the same helper as the view's, so both answers carry one header.
    response = HttpResponse()
    patch_cache_control(
        response, public=True, max_age=max_age, stale_while_revalidate=max_age * 6
    )
    return response["Cache-Control"].encode()


class EventsShortcut:
    """ASGI wrapper around the HTTP app (see the module docstring)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            etag = self._unchanged(scope)
            if etag is not None:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 304,
                        "headers": [
                            (b"etag", etag.encode()),
                            (b"cache-control", _cache_control(liveblog_settings.EVENTS_MAX_AGE)),
                            ANSWERED_BY,
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _unchanged(scope: dict[str, Any]) -> str | None:
        """The ETag to confirm, when the client's copy is provably current."""
        match = _EVENTS_PATH.fullmatch(scope["path"])
        if match is None:
            return None
        if_none_match = next(
            (value for name, value in scope["headers"] if name == b"if-none-match"), None
        )
        if if_none_match is None:
            return None
        since = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("since")
        if not since or not since[0].isdigit():
            return None
        version = get_hub().current_version(match["slug"])
        if version is None:
            return None
        article_id, seq = version
        etag = events_etag(article_id, seq, int(since[0]))
        return etag if etag.encode() in if_none_match else None
