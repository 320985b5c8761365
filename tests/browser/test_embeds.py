"""Embeds in a real Chromium: a partner page on another origin (another local
port) embeds two live articles and one update with embed.js; the frames follow
the coverage live and resize to fit; a newsroom that does not allow the
partner's origin is not framed there, and the reader keeps the plain link."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from liveblog import services
from newsroom.integrations.services import token_issue
from tests.factories import ArticleFactory
from tests.support.servers import free_port

TIMEOUT_MS = 15000

pytestmark = pytest.mark.browser


class HostPage:
    """A partner site: one static HTML page on its own port (its own origin)."""

    def __init__(self, html: str) -> None:
        self.port = free_port()
        body = html.encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _holder(
    element_id: str, slug: str, text: str, livedesk: str, extra: str = ""
) -> str:
    return (
        f'<div id="{element_id}" data-livedesk="{slug}" {extra}>'
        f'<a href="{livedesk}/live/{slug}/">{text}</a></div>'
    )


def _host(livedesk: str, holders: list[str]) -> HostPage:
    return HostPage(
        "<!doctype html><html><head><title>Partner</title></head><body>"
        "<h1>Partner site</h1>"
        + "".join(holders)
        + f'<script async src="{livedesk}/static/liveblog/embed.js"></script>'
        + "</body></html>"
    )


def _iframe_height(page: Page, element_id: str) -> float:
    return page.evaluate(
        """id => {
            const iframe = document.querySelector('#' + id + ' iframe');
            return iframe.getBoundingClientRect().height;
        }""",
        element_id,
    )


def _wait_fitted(page: Page, element_id: str, text: str) -> float:
    """Wait until the frame shows ``text`` and the iframe is as tall as its content."""
    frame = page.query_selector(f"#{element_id} iframe").content_frame()
    frame.wait_for_selector(f"text={text}", timeout=TIMEOUT_MS)
    for _ in range(100):
        content = frame.evaluate(
            "Math.ceil(document.documentElement.getBoundingClientRect().height)"
        )
        outer = _iframe_height(page, element_id)
        if content > 0 and abs(outer - content) <= 1:
            return outer
        page.wait_for_timeout(100)
    raise AssertionError(f"iframe {element_id} is {outer}px for {content}px of content")


def test_partner_page_embeds_two_live_articles_that_update_and_resize(
    asgi_server, article, ada, daily, new_page
):
    second = services.article_go_live(
        user=ada,
        article=ArticleFactory(
            newsroom=daily, slug="bank-app-down", title="Bank app down"
        ),
    )
    first_update = services.update_publish(
        user=ada, article=article, body="Timelines fail to load."
    )
    services.update_publish(user=ada, article=second, body="Logins fail.")
    _, token = token_issue(user=ada)
    livedesk = asgi_server.url
    host = _host(
        livedesk,
        [
            _holder("one", article.slug, "Follow Twitter is down", livedesk),
            _holder("two", second.slug, "Follow Bank app down", livedesk),
            _holder(
                "single",
                article.slug,
                "One update",
                livedesk,
                f'data-update="{first_update.pk}"',
            ),
        ],
    )
    api = httpx.Client(
        base_url=f"{livedesk}/api/v1", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        page = new_page(width=900, height=3000)
        page.goto(host.url)
        page.wait_for_function(
            "document.querySelectorAll('[data-livedesk-state=ready]').length === 3",
            timeout=TIMEOUT_MS,
        )
        before_one = _wait_fitted(page, "one", "Timelines fail to load.")
        before_two = _wait_fitted(page, "two", "Logins fail.")
        _wait_fitted(page, "single", "Timelines fail to load.")
        # Once framed, the fallback links step aside.
        assert not page.is_visible("#one > a") and not page.is_visible("#two > a")

        for slug, text in [
            (article.slug, "Some users can post again."),
            (second.slug, "Cards work; logins still fail."),
            (article.slug, "**All** services have returned to normal operation."),
        ]:
            assert (
                api.post(
                    f"/articles/{slug}/updates/", json={"body": text}
                ).status_code
                == 201
            )

        after_one = _wait_fitted(
            page, "one", "All services have returned to normal operation."
        )
        page.query_selector("#one iframe").content_frame().wait_for_selector(
            "text=Some users can post again.", timeout=TIMEOUT_MS
        )
        after_two = _wait_fitted(page, "two", "Cards work; logins still fail.")
        assert after_one > before_one and after_two > before_two

        # The single-update embed shows just that update, not the stream.
        single = page.query_selector("#single iframe").content_frame()
        assert (
            single.query_selector_all(".ld-update")
            and len(single.query_selector_all(".ld-update")) == 1
        )
        assert not single.query_selector("text=Some users can post again.")
    finally:
        api.close()
        host.close()


def test_embed_refuses_to_render_on_a_site_the_newsroom_does_not_allow(
    asgi_server, rival, gazette, new_page
):
    gazette.embed_origins = "https://partner.example"
    gazette.save()
    article = services.article_go_live(
        user=rival,
        article=ArticleFactory(
            newsroom=gazette, slug="gazette-live", title="Gazette live"
        ),
    )
    services.update_publish(user=rival, article=article, body="Only for our partner.")
    livedesk = asgi_server.url
    host = _host(
        livedesk, [_holder("refused", article.slug, "Read it on the Gazette", livedesk)]
    )
    try:
        page = new_page()
        blocked: list[str] = []
        page.on(
            "response",
            lambda r: blocked.append(r.headers.get("content-security-policy", ""))
            if "/embed/" in r.url
            else None,
        )
        page.goto(host.url)
        page.wait_for_selector(
            "#refused iframe", state="attached", timeout=TIMEOUT_MS
        )
        # The browser fetched the embed and refused to show it in this page.
        page.wait_for_function(
            "() => document.querySelector('#refused')"
            ".dataset.livedeskState === 'failed'",
            timeout=TIMEOUT_MS * 2,
        )
        assert (
            blocked
            and "frame-ancestors 'self' https://partner.example" in blocked[0]
        )
        assert not page.query_selector("#refused iframe")
        assert page.is_visible("text=Read it on the Gazette")
        assert not any(
            "Only for our partner." in (f.content() if f != page.main_frame else "")
            for f in page.frames
            if f.url.startswith(livedesk)
        )
    finally:
        host.close()
