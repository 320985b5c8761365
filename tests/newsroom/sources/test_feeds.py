"""Status feeds: Statuspage history (rewritten in place) and AWS health items."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsroom.sources.feeds import diff_feed, parse_feed
from newsroom.sources.types import ChangeKind, ParseError, Severity

from .conftest import read_fixture

GITHUB_ATOM = "https://www.githubstatus.com/history.atom"
AWS_RSS = "https://status.aws.amazon.com/rss/ec2-ap-northeast-1.rss"


def test_first_poll_of_a_feed_records_a_baseline_and_suggests_nothing() -> None:
    feed = parse_feed(read_fixture("statuspage-history.rss"), feed_url="x")

    state, changes = diff_feed(None, feed)

    assert changes == []
    assert len(state["seen"]) == 17


def test_repolling_an_unchanged_feed_suggests_nothing() -> None:
    state, _ = diff_feed(
        None, parse_feed(read_fixture("statuspage-history.rss"), feed_url="x")
    )

    _, changes = diff_feed(
        state, parse_feed(read_fixture("statuspage-history.rss"), feed_url="x")
    )

    assert changes == []


def test_statuspage_entries_read_the_newest_line_of_the_update_log() -> None:
    feed = parse_feed(read_fixture("statuspage-history.rss"), feed_url="x")

    first = feed["entries"][0]
    assert feed["title"] == "Parse Status - Incident History"
    assert first["flavor"] == "statuspage"
    assert first["title"] == "Elevated error rates"
    assert first["status"] == "resolved"
    assert first["kind"] == ChangeKind.INCIDENT_RESOLVED
    assert (
        first["text"] == "We have restored the system to its normal level of operation."
    )
    assert first["update_count"] == 3
    assert first["link"] == "http://status.parse.com/incidents/lzf7mjchpy20"
    postmortem = next(e for e in feed["entries"] if e["status"] == "postmortem")
    assert postmortem["title"] == "Elevated error rates and latency"
    assert postmortem["severity"] == Severity.INFO


def test_an_incident_entry_rewritten_in_place_is_one_new_change() -> None:
    state, _ = diff_feed(
        None,
        parse_feed(
            read_fixture("statuspage-history-before.atom"), feed_url=GITHUB_ATOM
        ),
    )
    after = parse_feed(
        read_fixture("statuspage-history-after.atom"), feed_url=GITHUB_ATOM
    )

    state, changes = diff_feed(state, after)

    assert len(changes) == 1
    change = changes[0]
    assert change.kind == ChangeKind.INCIDENT_RESOLVED
    assert change.detail["entry_title"] == "Incident with Pages and Actions"
    assert change.detail["body"] == "This incident has been resolved."
    assert change.detail["update_count"] == 6
    assert change.url == "https://www.githubstatus.com/incidents/69sb0f8lydp4"
    assert change.occurred_at == datetime(2024, 9, 16, 22, 8, 39, tzinfo=UTC)
    # ...and the rewrite is remembered: polling it again is quiet.
    assert diff_feed(state, after)[1] == []


def test_a_rewritten_entry_keeps_its_group_but_changes_its_fingerprint() -> None:
    before = parse_feed(
        read_fixture("statuspage-history-before.atom"), feed_url=GITHUB_ATOM
    )
    after = parse_feed(
        read_fixture("statuspage-history-after.atom"), feed_url=GITHUB_ATOM
    )

    assert before["entries"][0]["status"] == "investigating"
    assert before["entries"][0]["fingerprint"] != after["entries"][0]["fingerprint"]
    assert before["entries"][0]["group_key"] == after["entries"][0]["group_key"]
    # The untouched incident keeps its fingerprint.
    assert before["entries"][1]["fingerprint"] == after["entries"][1]["fingerprint"]


def test_aws_items_take_their_state_from_the_title_prefix() -> None:
    feed = parse_feed(
        read_fixture("aws-health-ec2-ap-northeast-1.rss"), feed_url=AWS_RSS
    )

    states = [(e["status"], e["kind"], e["topic"]) for e in feed["entries"][:4]]
    assert states == [
        ("operating_normally", ChangeKind.INCIDENT_RESOLVED, "Instance Availability"),
        ("informational", ChangeKind.FEED_ITEM, "Instance Availability"),
        ("service_degradation", ChangeKind.INCIDENT_UPDATED, "Instance Availability"),
        ("service_degradation", ChangeKind.INCIDENT_UPDATED, "Instance Availability"),
    ]
    resolved_info = feed["entries"][7]
    assert resolved_info["title"].startswith("Informational message: [解決済]")
    assert resolved_info["kind"] == ChangeKind.INCIDENT_RESOLVED
    assert resolved_info["topic"] == "API Increased API Error Rates"
    assert feed["entries"][2]["severity"] == Severity.MAJOR


def test_a_new_aws_item_is_reported_alone_and_grouped_with_its_event() -> None:
    feed = parse_feed(
        read_fixture("aws-health-ec2-ap-northeast-1.rss"), feed_url=AWS_RSS
    )
    newest = feed["entries"][0]["fingerprint"]
    state_before_it = {
        "schema": 1,
        "seen": [e["fingerprint"] for e in feed["entries"][1:]],
    }

    _, changes = diff_feed(state_before_it, feed)

    assert [c.fingerprint for c in changes] == [newest]
    assert newest == "feed:http://status.aws.amazon.com/#ec2-ap-northeast-1_1566559115"
    assert changes[0].group_key == f"feed:{AWS_RSS}:instance availability"
    assert "Beginning at 8:36 PM PDT" in changes[0].detail["body"]


def test_truncated_feed_is_a_parse_error_not_a_partial_read() -> None:
    with pytest.raises(ParseError) as caught:
        parse_feed(read_fixture("statuspage-history-truncated.rss"), feed_url="x")

    assert "not well-formed XML, possibly truncated" in str(caught.value)


def test_an_html_page_is_not_a_feed() -> None:
    with pytest.raises(ParseError) as caught:
        parse_feed(read_fixture("not-a-feed.html"), feed_url="x")

    assert "not an RSS or Atom feed" in str(caught.value)


def test_a_body_that_looks_like_a_path_is_never_opened_as_a_file() -> None:
    # feedparser would open a str/bytes naming a local file; we hand it a stream.
    with pytest.raises(ParseError):
        parse_feed(b"/etc/hostname", feed_url="x")


def test_an_empty_body_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        parse_feed(b"   ", feed_url="x")

    assert "empty response" in str(caught.value)
