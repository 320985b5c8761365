"""Webhooks: Statuspage's documented samples, Livedesk's own shape, and dedupe
against polling the same change."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from newsroom.sources.statuspage import diff_snapshots, parse_summary
from newsroom.sources.types import ChangeKind, ParseError, Severity
from newsroom.sources.webhook import parse_generic_webhook, parse_webhook

from .conftest import read_fixture


def summary_of_webhook_page(
    *, incidents: list[dict[str, Any]], component_status: str, component_at: str
) -> dict[str, Any]:
    """summary.json as polling page j2mfxwj97wnj would return it."""
    return {
        "page": {
            "id": "j2mfxwj97wnj",
            "name": "Example",
            "url": "https://status.example.com",
            "updated_at": component_at,
        },
        "components": [
            {
                "id": "rb5wq1dczvbm",
                "name": "Some Component",
                "status": component_status,
                "updated_at": component_at,
                "group_id": None,
                "group": False,
            }
        ],
        "incidents": incidents,
        "status": {"indicator": "critical", "description": "Major System Outage"},
    }


def test_incident_webhook_gives_one_change_per_update_oldest_first() -> None:
    changes = parse_webhook(
        read_fixture("statuspage-webhook-incident-update.json"), source_key="src-7"
    )

    assert [(c.kind, c.detail["update_status"]) for c in changes] == [
        (ChangeKind.INCIDENT_OPENED, "investigating"),
        (ChangeKind.INCIDENT_UPDATED, "identified"),
        (ChangeKind.INCIDENT_UPDATED, "monitoring"),
    ]
    # -06:00 in the payload, UTC inside
    assert changes[0].occurred_at == datetime(2013, 5, 29, 21, 8, 51, tzinfo=UTC)
    assert changes[-1].severity == Severity.CRITICAL
    assert changes[-1].url == "https://j.mp/18zyDQx"
    assert changes[-1].detail["body"].startswith("A fix has been implemented")


def test_same_incident_update_via_poll_and_webhook_has_the_same_fingerprint() -> None:
    webhook_body = json.loads(read_fixture("statuspage-webhook-incident-update.json"))
    from_webhook = parse_webhook(webhook_body, source_key="src-7")
    before = summary_of_webhook_page(
        incidents=[],
        component_status="major_outage",
        component_at="2013-05-29T21:00:00Z",
    )
    after = summary_of_webhook_page(
        incidents=[webhook_body["incident"]],
        component_status="major_outage",
        component_at="2013-05-29T21:00:00Z",
    )

    from_poll = diff_snapshots(parse_summary(before), parse_summary(after))

    assert [c.fingerprint for c in from_poll] == [c.fingerprint for c in from_webhook]
    assert [c.kind for c in from_poll] == [c.kind for c in from_webhook]
    assert from_poll[0].fingerprint == (
        "statuspage:j2mfxwj97wnj:incident:lbkhbwn21v5q:update:qbbsfhy5s9kk"
    )


def test_a_resolution_via_webhook_dedupes_with_the_incident_vanishing_from_a_poll() -> (
    None
):
    body = json.loads(read_fixture("statuspage-webhook-incident-update.json"))
    body["incident"]["status"] = "resolved"
    body["incident"]["incident_updates"].insert(
        0,
        {
            "body": "This incident has been resolved.",
            "created_at": "2013-05-29T16:45:00-06:00",
            "display_at": "2013-05-29T16:45:00-06:00",
            "status": "resolved",
            "id": "zz9resolved0",
            "incident_id": "lbkhbwn21v5q",
        },
    )
    resolved_by_webhook = parse_webhook(body, source_key="src-7")[-1]
    during = summary_of_webhook_page(
        incidents=[
            json.loads(read_fixture("statuspage-webhook-incident-update.json"))[
                "incident"
            ]
        ],
        component_status="major_outage",
        component_at="2013-05-29T21:00:00Z",
    )
    after = summary_of_webhook_page(
        incidents=[],
        component_status="major_outage",
        component_at="2013-05-29T21:00:00Z",
    )

    polled = diff_snapshots(parse_summary(during), parse_summary(after))

    assert resolved_by_webhook.kind == ChangeKind.INCIDENT_RESOLVED
    assert [c.fingerprint for c in polled] == [resolved_by_webhook.fingerprint]


def test_component_webhook_matches_the_poll_that_sees_the_same_change() -> None:
    from_webhook = parse_webhook(
        read_fixture("statuspage-webhook-component-update.json"),
        source_key="src-7",
        page_name="Example",
        page_url="https://status.example.com",
    )
    before = summary_of_webhook_page(
        incidents=[],
        component_status="major_outage",
        component_at="2013-05-29T20:00:00Z",
    )
    # summary.json stamps the component with milliseconds; the webhook does not.
    after = summary_of_webhook_page(
        incidents=[],
        component_status="operational",
        component_at="2013-05-29T21:32:28.412Z",
    )
    from_poll = [
        c
        for c in diff_snapshots(parse_summary(before), parse_summary(after))
        if c.kind == ChangeKind.COMPONENT_STATUS
    ]

    assert [c.fingerprint for c in from_webhook] == [c.fingerprint for c in from_poll]
    assert from_webhook[0].fingerprint == (
        "statuspage:j2mfxwj97wnj:component:rb5wq1dczvbm:operational:2013-05-29T21:32:28Z"
    )
    assert from_webhook[0].detail["old_status"] == "major_outage"
    assert from_webhook[0].detail["component_name"] == "Some Component"
    # Recovery from a major outage is as newsworthy as the outage.
    assert from_webhook[0].severity == Severity.CRITICAL


GENERIC = {
    "event_id": "deploy-mon-7f3a",
    "status": "down",
    "title": "Checkout API failing",
    "body": "Error rate 45% since 14:02",
    "url": "https://status.example.com/incidents/42",
    "occurred_at": "2024-09-16T21:31:02Z",
    "incident_id": "inc-42",
    "unknown_extra": [1, 2, 3],
}


def test_generic_webhook_becomes_one_change_keyed_by_sender_and_event() -> None:
    changes = parse_webhook(json.dumps(GENERIC).encode(), source_key="src-9")

    assert len(changes) == 1
    change = changes[0]
    assert change.kind == ChangeKind.INCIDENT_OPENED
    assert change.fingerprint == "webhook:src-9:deploy-mon-7f3a"
    assert change.group_key == "webhook:src-9:inc-42"
    assert change.title == "Checkout API failing"
    assert change.occurred_at == datetime(2024, 9, 16, 21, 31, 2, tzinfo=UTC)


def test_a_retried_generic_event_has_the_same_fingerprint() -> None:
    first = parse_generic_webhook(GENERIC, source_key="src-9")
    retry = parse_generic_webhook(dict(GENERIC), source_key="src-9")

    assert first[0].fingerprint == retry[0].fingerprint


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "'title' must be a non-empty string"),
        (
            {"status": "on-fire"},
            "status 'on-fire' is not one of down, degraded, up, info",
        ),
        ({"occurred_at": "2024-09-16T21:31:02"}, "has no time zone offset"),
        ({"url": "javascript:alert(1)"}, "url must start with http:// or https://"),
        ({"event_id": "x" * 201}, "'event_id' is longer than 200 characters"),
        ({"severity": "apocalyptic"}, "severity 'apocalyptic' is unknown"),
        ({"body": 42}, "'body' must be a string"),
    ],
)
def test_bad_generic_webhooks_are_parse_errors(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ParseError) as caught:
        parse_webhook({**GENERIC, **changes}, source_key="src-9")

    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'{"hello": "world"}', "unrecognised body"),
        (b"[]", "expected a JSON object"),
        (b'{"incident": {"id": "x", "status": "investig', "invalid or truncated JSON"),
        (b'{"page": {"id": "p"}, "incident": "nope"}', "incident: expected an object"),
        (
            b'{"page": {"id": "p"}, "component_update": {}}',
            "needs a 'component' object",
        ),
        (b'{"incident": {"id": "x"}}', "missing page.id"),
    ],
)
def test_bad_statuspage_webhooks_are_parse_errors(payload: bytes, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_webhook(payload, source_key="src-7")

    assert message in str(caught.value)
