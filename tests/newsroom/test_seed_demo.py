"""`manage.py seed_demo`: the demo a newcomer opens after `make run`."""

from __future__ import annotations

import io

from bs4 import BeautifulSoup
from django.contrib.auth import authenticate
from django.core.management import call_command

from liveblog.models import Event, LiveArticle, Update, UpdateState
from newsroom.models import Membership, Role


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_creates_the_twitter_outage_coverage(db, client):
    output = seed()
    article = LiveArticle.objects.get(slug="twitter-is-down")
    assert article.title == "Twitter is down: the social network does not work"
    assert (article.time_zone, article.status) == ("Europe/Madrid", "live")
    soup = BeautifulSoup(client.get("/live/twitter-is-down/").content, "html.parser")
    labels = [t.get_text() for t in soup.select("#ld-stream .ld-label time")]
    assert len(labels) == 6
    # Today's or yesterday's story, depending on the hour the seed ran.
    assert labels[0] == "Update 2:50 p.m." or labels[0].startswith("Update 2:50 p.m., ")
    assert labels[-1].startswith("Update 2:05 p.m.")
    text = soup.select_one("#ld-stream").get_text()
    for phrase in [
        "Something went wrong, try reloading",
        "status page",
        "TweetDeck is down too",
        "All services have returned to normal operation.",
    ]:
        assert phrase in text, phrase
    assert "All services have returned" in soup.select_one("#ld-pinned").get_text()
    assert len(soup.select("#ld-key-events li")) == 2
    assert Update.objects.filter(article=article, state=UpdateState.DRAFT).count() == 1
    for username, password in [("ada", "ada-demo-pass"), ("grace", "grace-demo-pass")]:
        assert f"{username} / {password}" in output
        assert authenticate(username=username, password=password) is not None
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles["ada"] == Role.EDITOR and roles["grace"] == Role.CONTRIBUTOR


def test_seeding_twice_changes_nothing(db):
    seed()
    counts = (
        LiveArticle.objects.count(),
        Update.objects.count(),
        Event.objects.count(),
        Membership.objects.count(),
    )
    output = seed()
    assert "nothing changed" in output
    assert "ada / ada-demo-pass" in output
    assert (
        LiveArticle.objects.count(),
        Update.objects.count(),
        Event.objects.count(),
        Membership.objects.count(),
    ) == counts
