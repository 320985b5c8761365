"""HTTP probe state machine: debounced down/up, and real probes of a local server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from newsroom.sources.probe import ProbeResult, advance_probe, failure_reason, run_probe
from newsroom.sources.types import Change, ChangeKind

from .conftest import ScriptedServer

START = datetime(2024, 3, 5, 19, 0, tzinfo=UTC)
TARGET = "https://chirp.example/"


def ok(minute: int, status: int = 200) -> ProbeResult:
    return ProbeResult(checked_at=START + timedelta(minutes=minute), status_code=status)


def failed(minute: int, status: int | None = 503) -> ProbeResult:
    if status is None:
        return ProbeResult(
            checked_at=START + timedelta(minutes=minute), error="timed out"
        )
    return ProbeResult(checked_at=START + timedelta(minutes=minute), status_code=status)


def run(results: list[ProbeResult], state: Any = None) -> tuple[Any, list[Change]]:
    changes = []
    for result in results:
        state, change = advance_probe(state, result, target=TARGET)
        if change:
            changes.append(change)
    return state, changes


def test_a_site_is_down_only_after_three_failures_in_a_row() -> None:
    state, changes = run([ok(0), ok(1), failed(2), failed(3)])
    assert changes == []

    state, changes = run([failed(4)], state)

    assert [c.kind for c in changes] == [ChangeKind.PROBE_DOWN]
    # The outage started at the first failed check.
    assert changes[0].detail["down_since"] == "2024-03-05T19:02:00.000000Z"
    assert changes[0].fingerprint == f"probe:{TARGET}:down:2024-03-05T19:02:00.000000Z"
    assert state["status"] == "down"


def test_one_success_between_failures_resets_the_count() -> None:
    _, changes = run([ok(0), failed(1), failed(2), ok(3), failed(4), failed(5)])

    assert changes == []


def test_starting_healthy_is_a_silent_baseline() -> None:
    state, changes = run([ok(0), ok(1), ok(2)])

    assert changes == []
    assert state["status"] == "up"


def test_recovery_needs_two_successes_and_reports_how_long_it_was_down() -> None:
    state, _ = run([ok(0), ok(1), failed(2), failed(3), failed(4)])

    state, changes = run([ok(47)], state)
    assert changes == []
    state, changes = run([ok(48)], state)

    assert [c.kind for c in changes] == [ChangeKind.PROBE_UP]
    assert changes[0].detail["down_minutes"] == 46
    assert state["status"] == "up"


def test_a_second_outage_gets_its_own_fingerprint() -> None:
    _, changes = run(
        [ok(0), ok(1), failed(2), failed(3), failed(4), ok(5), ok(6)]
        + [failed(10), failed(11), failed(12)]
    )

    downs = [c.fingerprint for c in changes if c.kind == ChangeKind.PROBE_DOWN]
    assert len(downs) == 2 and downs[0] != downs[1]


def test_timeouts_and_5xx_fail_but_4xx_means_the_server_is_up() -> None:
    at = START
    assert failure_reason(ProbeResult(checked_at=at, error="timed out")) == "timed out"
    assert (
        failure_reason(ProbeResult(checked_at=at, status_code=502))
        == "server error 502"
    )
    assert failure_reason(ProbeResult(checked_at=at, status_code=404)) is None
    assert failure_reason(ProbeResult(checked_at=at, status_code=429)) is None
    assert (
        failure_reason(ProbeResult(checked_at=at, status_code=200, keyword_found=False))
        == "expected text missing from the page"
    )


def test_probing_a_healthy_page_finds_its_keyword(http_server: ScriptedServer) -> None:
    url = http_server.route("/", body=b"<html><h1>Welcome to Chirp</h1></html>")

    result = run_probe(url, keyword="welcome to chirp", allow_private=True)

    assert result.status_code == 200
    assert result.keyword_found is True
    assert failure_reason(result) is None


def test_probing_a_maintenance_splash_served_with_200_fails_on_the_keyword(
    http_server: ScriptedServer,
) -> None:
    url = http_server.route("/", body=b"<html>We'll be right back</html>")

    result = run_probe(url, keyword="Welcome to Chirp", allow_private=True)

    assert failure_reason(result) == "expected text missing from the page"


def test_probing_a_failing_server_records_its_status(
    http_server: ScriptedServer,
) -> None:
    url = http_server.route("/", status=503, body=b"down")

    result = run_probe(url, allow_private=True)

    assert result.status_code == 503
    assert failure_reason(result) == "server error 503"


def test_probing_a_slow_server_records_a_timeout(http_server: ScriptedServer) -> None:
    url = http_server.route("/", delay=2.0, body=b"late")

    result = run_probe(url, timeout=0.3, allow_private=True)

    assert result.status_code is None
    assert result.error is not None and "timed out" in result.error
