"""An editor's first story, in a real Chromium against the real ASGI server: log
in, open an article, go live, write an update watching the preview, and see it
on the reader page, on a desktop and on a phone."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from liveblog import services
from liveblog.models import LiveArticle, UpdateKind
from tests.factories import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "screenshots"
AP_LABEL = re.compile(r"^Update (\d{1,2}(:\d\d)? [ap]\.m\.|noon|midnight)$")
PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
def test_editor_posts_from_the_desk_and_the_reader_sees_it(
    asgi_server, browser, page, ada, daily, tmp_path
):
    base = asgi_server.url
    page.goto(f"{base}/desk/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/desk/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/desk/")

    page.get_by_role("link", name="New live article").click()
    page.select_option("#id_newsroom", label="The Daily")
    page.fill("#id_title", "Twitter is down: the social network does not work")
    page.fill("#id_slug", "twitter-is-down")
    page.fill("#id_summary", "Many users cannot log in or post since about 2 p.m.")
    page.fill("#id_time_zone", "Europe/Madrid")
    page.get_by_role("button", name="Create draft").click()
    expect(page).to_have_url(f"{base}/desk/twitter-is-down/")

    page.get_by_role("button", name="Go live").click()
    expect(page.locator("h1 .ld-badge")).to_have_text("Live")

    page.fill(
        "textarea[name=body]", "Users see **Something went wrong, try reloading**."
    )
    preview = page.locator("#ld-preview")
    expect(preview.locator("strong")).to_have_text(
        "Something went wrong, try reloading"
    )
    expect(page.locator("#ld-char-count")).to_have_text("50")
    page.locator("#ld-publish").click()
    expect(page.locator(".ld-messages")).to_contain_text("Published.")
    expect(page.locator("#ld-desk-stream")).to_contain_text("Something went wrong")

    reader = page.context.new_page()
    reader.goto(f"{base}/live/twitter-is-down/")
    card = reader.locator("#ld-stream article.ld-update").first
    expect(card.locator(".ld-body strong")).to_have_text(
        "Something went wrong, try reloading"
    )
    expect(card.locator(".ld-label")).to_have_text(AP_LABEL)
    expect(reader.locator(".ld-badge.ld-status-live")).to_have_text("LIVE")
    assert page.js_errors == []

    # The same page on a phone, with the furniture of a real story around it.
    article = LiveArticle.objects.get(slug="twitter-is-down")
    key = services.update_publish(
        user=ada,
        article=article,
        kind=UpdateKind.KEY_EVENT,
        body="**TweetDeck is down too.** The dashboard newsrooms use does not load.",
    )
    services.update_publish(
        user=ada,
        article=article,
        # A long unbroken URL: the classic cause of sideways scrolling on phones.
        body="Status page: https://status.twitterstat.example/incidents/"
        "0123456789abcdefghijklmnop still shows *all systems operational*.\n\n| Service | State |\n|---|---|\n"
        "| Timelines | down |\n| Posting | down |",
    )
    wrong = services.update_publish(
        user=ada, article=article, body="The app works on iOS."
    )
    services.update_strike(user=ada, update=wrong, reason="It did not, for most users.")
    services.update_pin(user=ada, update=key)

    # A new visitor on a phone (its own context: nothing cached from above).
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    reader = phone.new_page()
    reader.goto(f"{base}/live/twitter-is-down/")
    expect(reader.locator("#ld-pinned .ld-pinned-card")).to_contain_text(
        "TweetDeck is down too"
    )
    page_width = reader.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], (
        f"the page scrolls sideways: {page_width}px wide"
    )
    shot = tmp_path / "reader-phone.png"
    reader.screenshot(path=str(shot), full_page=True)
    if os.environ.get("LIVEDESK_UPDATE_SCREENSHOTS"):
        # Refresh the screenshot kept in the repository only when asked, so a
        # test run never leaves the work tree changed.
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOTS / "reader-phone.png")
    phone.close()
