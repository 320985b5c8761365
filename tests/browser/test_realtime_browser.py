"""The reader page in Chromium keeps up by itself (issue 3, test 8), and each
event type leaves the page exactly as a fresh render would show it (the
contract: stale page + events == fresh page)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from liveblog import services
from liveblog.models import LiveArticle, UpdateKind
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

WAIT_MS = 20_000
REGIONS = ["ld-header", "ld-key-events", "ld-pinned", "ld-stream"]


@pytest.fixture
def browser_page(new_page: Callable[..., Any]) -> Callable[[], Any]:
    """New pages, each in its own context (own cookies); closed at the end."""
    return lambda: new_page(width=1000, height=700)


def open_reader(page: Any, server: Any, slug: str) -> Any:
    page.goto(f"{server.url}/live/{slug}/")
    wait_socket_open(page)
    return page


def wait_socket_open(page: Any) -> None:
    # Functions, not expression strings: the page's CSP forbids eval.
    page.wait_for_function(
        "() => window.livedesk && window.livedesk.socket()"
        " && window.livedesk.socket().readyState === 1"
    )


def wait_seq(page: Any, seq: int) -> None:
    page.wait_for_function("(seq) => window.livedesk.seq() === seq", arg=seq)


def current_seq(article: Any) -> int:
    return LiveArticle.objects.get(pk=article.pk).seq


def stream_texts(page: Any) -> list[str]:
    return page.locator("#ld-stream .ld-update .ld-body").all_inner_texts()


def test_update_posted_on_the_desk_appears_on_the_reader_page_without_reload(
    asgi_server: Any, article: Any, ada: Any, browser_page: Any
) -> None:
    reader = open_reader(browser_page(), asgi_server, article.slug)
    reader.evaluate("window.notReloaded = true")

    desk = browser_page()
    desk.goto(f"{asgi_server.url}/accounts/login/")
    desk.fill("input[name=username]", "ada")
    desk.fill("input[name=password]", PASSWORD)
    desk.locator("form [type=submit]").click()
    desk.goto(f"{asgi_server.url}/desk/{article.slug}/")
    desk.fill("textarea[name=body]", "Engineers say **timelines** are back")
    desk.click("#ld-publish")

    first = reader.locator("#ld-stream .ld-update").first
    first.locator("strong", has_text="timelines").wait_for()
    assert reader.evaluate("window.notReloaded") is True
    assert reader.locator("#ld-announcer").inner_text() != ""


_CARD_IN_VIEW_JS = """() => {
  const card = document.elementFromPoint(500, 350).closest(".ld-update");
  return [card.id, Math.round(card.getBoundingClientRect().top)];
}"""


def test_reader_scrolled_down_gets_a_new_updates_button_instead_of_a_jump(
    asgi_server: Any, article: Any, ada: Any, browser_page: Any
) -> None:
    long_text = "A paragraph that takes room on the page. " * 20
    for number in range(12):
        services.update_publish(user=ada, article=article, body=f"Earlier {number}. {long_text}")
    reader = open_reader(browser_page(), asgi_server, article.slug)
    reader.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    scrolled_to = reader.evaluate("window.scrollY")
    top_card = stream_texts(reader)[0]
    assert scrolled_to > 500
    in_view = reader.evaluate(_CARD_IN_VIEW_JS)

    services.update_publish(user=ada, article=article, body="Fresh while you were reading")
    services.update_publish(user=ada, article=article, body="And another")
    wait_seq(reader, current_seq(article))

    button = reader.locator("#ld-new-button")
    assert button.is_visible()
    assert button.inner_text() == "2 new updates"
    assert reader.evaluate("window.scrollY") == scrolled_to
    assert reader.evaluate(_CARD_IN_VIEW_JS) == in_view  # the text did not move
    assert stream_texts(reader)[0] == top_card

    button.click()
    assert stream_texts(reader)[:2] == ["And another", "Fresh while you were reading"]
    assert not button.is_visible()


def test_page_catches_up_when_its_socket_returns_after_the_server_was_down(
    asgi_server: Any, article: Any, ada: Any, browser_page: Any
) -> None:
    server = asgi_server
    reader = open_reader(browser_page(), server, article.slug)
    services.update_publish(user=ada, article=article, body="Before the restart")
    wait_seq(reader, current_seq(article))

    server.kill()  # the socket dies with it
    for number in range(3):
        services.update_publish(user=ada, article=article, body=f"Posted while down {number}")
    server.start()  # same port: the page's reconnects find it again

    wait_seq(reader, current_seq(article))
    wait_socket_open(reader)
    assert stream_texts(reader) == [
        "Posted while down 2",
        "Posted while down 1",
        "Posted while down 0",
        "Before the restart",
    ]


# Contract: stale page + events == fresh page ---------------------------------

_REGIONS_JS = """
(html) => {
  const doc = html ? new DOMParser().parseFromString(html, "text/html") : document;
  return %s.map((id) => {
    const node = doc.getElementById(id).cloneNode(true);
    // Relative times tick on the client; animation classes are not content.
    node.querySelectorAll(".ld-ago").forEach((n) => { n.textContent = ""; });
    node.querySelectorAll(".ld-fresh").forEach((n) => n.classList.remove("ld-fresh"));
    // Attribute order is not content (a toggled `hidden` goes last).
    [node, ...node.querySelectorAll("*")].forEach((n) => {
      const attributes = [...n.attributes].map((a) => [a.name, a.value]).sort();
      attributes.forEach(([name]) => n.removeAttribute(name));
      attributes.forEach(([name, value]) => n.setAttribute(name, value));
    });
    return node.outerHTML;
  });
}
""" % REGIONS


def _normalise(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def regions(page: Any, html: str | None = None) -> dict[str, str]:
    found = page.evaluate(_REGIONS_JS, html)
    return {region: _normalise(text) for region, text in zip(REGIONS, found)}


def _setup(article: Any, ada: Any) -> dict[str, Any]:
    return {
        "first": services.update_publish(user=ada, article=article, body="First: *logins* fail"),
        "key": services.update_publish(
            user=ada, article=article, body="Status page confirms", kind=UpdateKind.KEY_EVENT
        ),
        "third": services.update_publish(user=ada, article=article, body="Third, with a [link](https://example.com/)"),
    }


def _created(article: Any, ada: Any, u: dict[str, Any]) -> None:
    services.update_publish(user=ada, article=article, body="Service restored", kind=UpdateKind.KEY_EVENT)


def _edited(article: Any, ada: Any, u: dict[str, Any]) -> None:
    # An older update becomes a key event: it must take its place in the list.
    services.update_edit(user=ada, update=u["first"], body="First: logins fail (corrected)", kind=UpdateKind.KEY_EVENT)


def _struck(article: Any, ada: Any, u: dict[str, Any]) -> None:
    services.update_strike(user=ada, update=u["key"], reason="Not confirmed")


def _deleted(article: Any, ada: Any, u: dict[str, Any]) -> None:
    services.update_delete(user=ada, update=u["key"])  # pinned and a key event


def _pinned(article: Any, ada: Any, u: dict[str, Any]) -> None:
    services.update_pin(user=ada, update=u["third"])  # replaces the earlier pin


def _unpinned(article: Any, ada: Any, u: dict[str, Any]) -> None:
    services.update_unpin(user=ada, article=article)


def _article_updated(article: Any, ada: Any, u: dict[str, Any]) -> None:
    fresh = LiveArticle.objects.get(pk=article.pk)
    services.article_edit(
        user=ada, article=fresh, title="Twitter is down worldwide",
        summary="Logins fail **everywhere**.", time_zone=fresh.time_zone, language=fresh.language,
    )
    services.article_end(user=ada, article=fresh)


@pytest.mark.parametrize(
    ("event_type", "change"),
    [
        ("update.created", _created),
        ("update.edited", _edited),
        ("update.struck", _struck),
        ("update.deleted", _deleted),
        ("update.pinned", _pinned),
        ("update.unpinned", _unpinned),
        ("article.updated", _article_updated),
    ],
)
def test_live_page_after_event_equals_a_fresh_render(
    event_type: str, change: Any, asgi_server: Any, article: Any, ada: Any, browser_page: Any
) -> None:
    updates = _setup(article, ada)
    services.update_pin(user=ada, update=updates["key"])
    reader = open_reader(browser_page(), asgi_server, article.slug)
    before = regions(reader)
    first_new = current_seq(article) + 1

    change(article, ada, updates)
    wait_seq(reader, current_seq(article))

    types = [
        e.type for e in LiveArticle.objects.get(pk=article.pk).events.filter(seq__gte=first_new)
    ]
    assert set(types) == {event_type}
    fresh = httpx.get(f"{asgi_server.url}/live/{article.slug}/").text
    after = regions(reader)
    assert after == regions(reader, fresh)
    assert after != before  # the event did change what the reader sees
