"""Shared vocabulary: severities order by importance; changes validate themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsroom.sources.types import (
    Change,
    ChangeKind,
    ParseError,
    Severity,
    parse_timestamp,
)


def test_severities_order_by_importance_not_alphabetically() -> None:
    assert Severity.INFO < Severity.MINOR < Severity.MAJOR < Severity.CRITICAL
    assert max([Severity.MAJOR, Severity.CRITICAL, Severity.INFO]) == Severity.CRITICAL
    assert sorted(["critical", "info"], key=Severity) == ["info", "critical"]


def change(**overrides: object) -> Change:
    fields: dict[str, object] = {
        "kind": ChangeKind.PROBE_DOWN,
        "fingerprint": "probe:x:down:1",
        "severity": Severity.MAJOR,
        "occurred_at": datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=-5))),
        "title": "x",
        "detail": {"a": [1, "b", None]},
    }
    fields.update(overrides)
    return Change(**fields)  # type: ignore[arg-type]


def test_a_change_stores_its_time_in_utc_and_defaults_its_group_to_itself() -> None:
    made = change()

    assert made.occurred_at == datetime(2024, 1, 1, 17, tzinfo=UTC)
    assert made.occurred_at.tzinfo == UTC
    assert made.group_key == "probe:x:down:1"


def test_a_change_round_trips_through_a_plain_dict() -> None:
    made = change(url="https://x.example/")

    assert Change.from_dict(made.to_dict()) == made


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"occurred_at": datetime(2024, 1, 1)}, "timezone-aware"),
        (
            {"detail": {"when": datetime(2024, 1, 1, tzinfo=UTC)}},
            "not JSON-serialisable",
        ),
        ({"fingerprint": ""}, "fingerprint must be 1..255"),
        ({"fingerprint": "x" * 256}, "fingerprint must be 1..255"),
    ],
)
def test_invalid_changes_are_refused(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        change(**overrides)


def test_timestamps_need_an_offset_and_become_utc() -> None:
    assert parse_timestamp("2013-05-29T15:08:51-06:00") == datetime(
        2013, 5, 29, 21, 8, 51, tzinfo=UTC
    )
    with pytest.raises(ParseError, match="has no time zone offset"):
        parse_timestamp("2013-05-29T15:08:51")
    with pytest.raises(ParseError, match="expected an ISO 8601 timestamp, got null"):
        parse_timestamp(None)


def test_control_characters_from_a_source_never_reach_a_change() -> None:
    change = Change(
        kind=ChangeKind.INCIDENT_OPENED,
        fingerprint="statuspage:p:incident:i\x00",
        severity=Severity.MAJOR,
        occurred_at=datetime(2026, 7, 13, 12, 5, tzinfo=UTC),
        title="Login\x00 failures",
        detail={"name\x00": ["Time\x00lines", 3]},
        url=None,
        group_key="",
    )
    assert change.title == "Login failures"
    assert change.fingerprint == change.group_key == "statuspage:p:incident:i"
    assert change.detail == {"name": ["Timelines", 3]}
