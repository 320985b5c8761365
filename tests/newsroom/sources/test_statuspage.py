"""Statuspage v2 API: snapshots from real payloads and the changes between them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from newsroom.sources.statuspage import diff_snapshots, parse_incidents, parse_summary
from newsroom.sources.types import ChangeKind, ParseError, Severity

from .conftest import read_fixture

OBSERVED = datetime(2020, 4, 2, 20, 40, tzinfo=UTC)


def summary(name: str) -> dict[str, Any]:
    return parse_summary(read_fixture(name), observed_at=OBSERVED)


def stored(snapshot: dict[str, Any]) -> dict[str, Any]:
    """What comes back out of a JSONField."""
    return json.loads(json.dumps(snapshot))


def test_summary_snapshot_keeps_page_indicator_components_and_incident_updates() -> (
    None
):
    snapshot = summary("statuspage-summary-major.json")

    assert snapshot["page"]["id"] == "kctbh9vrtdwd"
    assert snapshot["page"]["name"] == "GitHub"
    assert snapshot["indicator"] == "major"
    assert snapshot["components"]["8l4ygp009s5s"]["status"] == "major_outage"
    incident = snapshot["incidents"]["80d0cs6kpsps"]
    assert incident["status"] == "investigating"
    assert incident["impact"] == "major"
    # newest first, as Statuspage sends them
    assert [u["id"] for u in incident["updates"]] == ["yqsdhyw44qzj", "bd69p75gd9y8"]
    assert incident["url"] == "http://stspg.io/n0wskg2n6bvy"


def test_snapshot_survives_a_json_round_trip_unchanged() -> None:
    snapshot = summary("statuspage-summary-major.json")

    assert stored(snapshot) == snapshot


def test_first_poll_records_a_baseline_and_suggests_nothing() -> None:
    assert diff_snapshots(None, summary("statuspage-summary-major.json")) == []


def test_polling_an_unchanged_page_suggests_nothing() -> None:
    first = summary("statuspage-summary-major.json")
    second = summary("statuspage-summary-major.json")

    assert diff_snapshots(stored(first), second) == []


def test_an_outage_starting_reports_incident_updates_components_and_indicator() -> None:
    before = summary("statuspage-summary-operational.json")
    after = summary("statuspage-summary-major.json")

    changes = diff_snapshots(stored(before), after)

    incident = [
        c
        for c in changes
        if c.kind in (ChangeKind.INCIDENT_OPENED, ChangeKind.INCIDENT_UPDATED)
    ]
    assert [(c.kind, c.fingerprint) for c in incident] == [
        (
            ChangeKind.INCIDENT_OPENED,
            "statuspage:kctbh9vrtdwd:incident:80d0cs6kpsps:update:bd69p75gd9y8",
        ),
        (
            ChangeKind.INCIDENT_UPDATED,
            "statuspage:kctbh9vrtdwd:incident:80d0cs6kpsps:update:yqsdhyw44qzj",
        ),
    ]
    components = {
        c.detail["component_name"]: (c.detail["old_status"], c.detail["new_status"])
        for c in changes
        if c.kind == ChangeKind.COMPONENT_STATUS
    }
    assert components == {
        "Git Operations": ("operational", "major_outage"),
        "API Requests": ("operational", "major_outage"),
        "Webhooks": ("operational", "major_outage"),
        "Issues, PRs, Projects": ("operational", "major_outage"),
        "GitHub Actions": ("operational", "partial_outage"),
        "GitHub Packages": ("operational", "major_outage"),
    }
    indicator = [c for c in changes if c.kind == ChangeKind.INDICATOR_CHANGED]
    assert [
        (c.detail["old_indicator"], c.detail["new_indicator"]) for c in indicator
    ] == [("none", "major")]
    # One story: everything joins the incident's group, so it is drafted once.
    assert {c.group_key for c in changes} == {
        "statuspage:kctbh9vrtdwd:incident:80d0cs6kpsps"
    }
    assert changes == sorted(changes, key=lambda c: c.occurred_at)


def test_component_fingerprint_names_page_component_status_and_second() -> None:
    changes = diff_snapshots(
        stored(summary("statuspage-summary-operational.json")),
        summary("statuspage-summary-major.json"),
    )

    git = next(c for c in changes if c.detail.get("component_name") == "Git Operations")
    assert git.fingerprint == (
        "statuspage:kctbh9vrtdwd:component:8l4ygp009s5s:major_outage:2020-04-02T20:26:21Z"
    )
    assert git.severity == Severity.CRITICAL
    assert git.occurred_at == datetime(2020, 4, 2, 20, 26, 21, 656000, tzinfo=UTC)


def test_component_groups_are_not_reported_but_name_their_members() -> None:
    before = summary("statuspage-summary-groups-operational.json")
    after = summary("statuspage-summary-groups-major.json")

    changes = diff_snapshots(stored(before), after)

    components = [c for c in changes if c.kind == ChangeKind.COMPONENT_STATUS]
    assert {
        (c.detail["component_name"], c.detail["group_name"]) for c in components
    } == {
        ("Timelines", "Core features"),
        ("Login", "Core features"),
    }
    assert after["components"]["g1core0000aa"]["is_group"] is True
    assert after["components"]["tl0000000001"]["group_id"] == "g1core0000aa"


def test_incident_detail_names_its_troubled_components_by_their_page_names() -> None:
    changes = diff_snapshots(
        stored(summary("statuspage-summary-groups-operational.json")),
        summary("statuspage-summary-groups-major.json"),
    )

    newest_update = next(c for c in changes if c.kind == ChangeKind.INCIDENT_UPDATED)
    assert newest_update.detail["components"] == [
        {"id": "tl0000000001", "name": "Timelines", "status": "major_outage"},
        {"id": "lg0000000002", "name": "Login", "status": "major_outage"},
    ]
    assert newest_update.severity == Severity.CRITICAL  # impact "critical"


def test_an_incident_vanishing_from_the_summary_is_reported_resolved() -> None:
    during = summary("statuspage-summary-major.json")
    after = summary("statuspage-summary-operational.json")

    changes = diff_snapshots(stored(during), after)

    resolved = [c for c in changes if c.kind == ChangeKind.INCIDENT_RESOLVED]
    assert [c.fingerprint for c in resolved] == [
        "statuspage:kctbh9vrtdwd:incident:80d0cs6kpsps:resolved"
    ]
    assert resolved[0].detail["inferred"] is True
    recovered = {
        c.detail["component_name"]
        for c in changes
        if c.kind == ChangeKind.COMPONENT_STATUS
        and c.detail["new_status"] == "operational"
    }
    assert "Git Operations" in recovered


def test_a_resolving_update_in_incidents_json_is_the_same_fact_as_the_vanishing() -> (
    None
):
    data = json.loads(read_fixture("statuspage-incidents-resolved.json"))
    earlier = json.loads(json.dumps(data))
    incident = earlier["incidents"][0]
    incident["status"] = "investigating"
    incident["resolved_at"] = None
    incident["incident_updates"] = incident["incident_updates"][1:]

    changes = diff_snapshots(parse_incidents(earlier), parse_incidents(data))

    assert [(c.kind, c.fingerprint) for c in changes] == [
        (
            ChangeKind.INCIDENT_RESOLVED,
            "statuspage:kctbh9vrtdwd:incident:69sb0f8lydp4:resolved",
        )
    ]
    assert changes[0].detail["update_id"] == "gv96mtfg46fj"
    assert changes[0].detail["started_at"] == "2024-09-16T21:31:02.713000Z"
    assert changes[0].detail["resolved_at"] == "2024-09-16T22:08:39.333000Z"
    assert changes[0].detail["inferred"] is False


def test_incidents_dropping_off_incidents_json_are_not_resolutions() -> None:
    data = json.loads(read_fixture("statuspage-incidents-resolved.json"))
    later = json.loads(json.dumps(data))
    later["incidents"] = later["incidents"][:1]

    assert diff_snapshots(parse_incidents(data), parse_incidents(later)) == []


def test_unknown_fields_and_statuses_are_kept_and_treated_as_minor() -> None:
    before = json.loads(read_fixture("statuspage-summary-operational.json"))
    after = json.loads(json.dumps(before))
    after["components"][0]["status"] = "severely_wobbly"
    after["components"][0]["updated_at"] = "2020-01-01T00:00:00Z"
    after["components"][0]["brand_new_field"] = {"nested": True}
    after["shiny_new_section"] = []

    changes = diff_snapshots(parse_summary(before), parse_summary(after))

    assert [(c.kind, c.detail["new_status"], c.severity) for c in changes] == [
        (ChangeKind.COMPONENT_STATUS, "severely_wobbly", Severity.MINOR)
    ]


def test_a_snapshot_of_another_page_is_a_new_baseline() -> None:
    github = summary("statuspage-summary-operational.json")
    chirp = summary("statuspage-summary-groups-major.json")

    assert diff_snapshots(stored(github), chirp) == []


def test_truncated_summary_is_a_parse_error_saying_so() -> None:
    with pytest.raises(ParseError) as caught:
        parse_summary(read_fixture("statuspage-summary-truncated.json"))

    assert "summary.json: invalid or truncated JSON" in str(caught.value)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d.update(components="lots"),
            "summary.json: components: expected a list",
        ),
        (lambda d: d.pop("page"), "summary.json: page: expected an object, got null"),
        (
            lambda d: d["incidents"][0].pop("id"),
            "incidents[0].id: expected a non-empty",
        ),
        (
            lambda d: d["incidents"][0].update(created_at="yesterday"),
            "'yesterday' is not an ISO 8601 timestamp",
        ),
        (
            lambda d: d["status"].update(indicator=3),
            "status.indicator: expected a non-empty",
        ),
    ],
)
def test_wrong_types_are_parse_errors_naming_the_field(
    mutate: Any, message: str
) -> None:
    data = json.loads(read_fixture("statuspage-summary-major.json"))
    mutate(data)

    with pytest.raises(ParseError) as caught:
        parse_summary(data)

    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty response"),
        (b"[1, 2]", "expected an object, got list"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"<html>Service Unavailable</html>", "invalid or truncated JSON"),
    ],
)
def test_non_json_bodies_are_parse_errors(payload: bytes, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_summary(payload)

    assert message in str(caught.value)
