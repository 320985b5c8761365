"""Suggestions in Chromium: one arrives in the desk's panel while the editor
watches, "Edit first" fills the composer, and Publish puts it on the reader
page (also open, live)."""

from __future__ import annotations

from typing import Any

import pytest

from newsroom.sources import services
from newsroom.sources.models import SourceKind
from newsroom.sources.webhook import parse_webhook
from tests.factories import PASSWORD
from tests.newsroom.sources.support import watched_source

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
WAIT_MS = 20_000


def _desk(new_page: Any, server: Any, slug: str) -> Any:
    page = new_page(width=1100, height=800)
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=username]", "ada")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url("**/desk/")
    page.goto(f"{server.url}/desk/{slug}/")
    page.wait_for_function(
        "() => window.livedeskDesk && window.livedeskDesk.socket"
        " && window.livedeskDesk.socket.readyState === 1"
    )
    return page


def _suggest(article: Any, event_id: str, title: str) -> None:
    """Import a change as the worker would: in another thread (Playwright's loop
    owns this one), its own database connection, pushed to the desk on commit."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def work() -> None:
        try:
            _import(article, event_id, title)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(work).result()


def _import(article: Any, event_id: str, title: str) -> None:
    source = article.signal_watches.first().source
    body = (
        '{"event_id": "%s", "status": "down", "title": "%s", '
        '"occurred_at": "2024-09-16T21:31:02Z"}' % (event_id, title)
    )
    services.signals_import(
        source=source, changes=parse_webhook(body, source_key="browser"), via="webhook"
    )


def test_a_suggestion_appears_live_on_the_desk_and_publish_puts_it_on_the_reader_page(
    new_page: Any, asgi_server: Any, article: Any, ada: Any
) -> None:
    watched_source(article, kind=SourceKind.WEBHOOK, name="Checkout monitor")
    desk = _desk(new_page, asgi_server, article.slug)
    reader = new_page(width=1100, height=800)
    reader.goto(f"{asgi_server.url}/live/{article.slug}/")
    reader.wait_for_function(
        "() => window.livedesk && window.livedesk.socket()"
        " && window.livedesk.socket().readyState === 1"
    )
    assert desk.locator(".ld-suggestion").count() == 0

    _suggest(article, "e1", "Checkout API failing")

    card = desk.locator(".ld-suggestion").first
    card.wait_for()
    assert "Checkout API failing" in card.inner_text()
    assert "Checkout monitor" in card.inner_text()
    card.get_by_role("button", name="Publish").click()

    reader.locator("#ld-stream", has_text="Checkout API failing").wait_for()
    desk.locator(".ld-suggestion.ld-handled", has_text="Published").wait_for()


def test_edit_first_fills_the_composer_and_publishing_it_attributes_the_source(
    new_page: Any, asgi_server: Any, article: Any, ada: Any
) -> None:
    watched_source(article, kind=SourceKind.WEBHOOK, name="Checkout monitor")
    _suggest(article, "e2", "Payments failing")
    desk = _desk(new_page, asgi_server, article.slug)

    desk.locator(".ld-suggestion").first.get_by_role("button", name="Edit first").click()
    textarea = desk.locator("#ld-composer textarea[name=body]")
    assert "Payments failing" in textarea.input_value()
    textarea.fill("Payments are failing for many customers, the company says.")
    desk.locator("#ld-publish").click()
    desk.wait_for_url(f"**/desk/{article.slug}/")

    reader = new_page(width=1100, height=800)
    reader.goto(f"{asgi_server.url}/live/{article.slug}/")
    stream = reader.locator("#ld-stream").inner_text()
    assert "Payments are failing for many customers" in stream
    assert desk.locator(".ld-suggestion").count() == 0
