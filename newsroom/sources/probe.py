"""HTTP probes: is the site answering? A small debounced up/down state machine.

One probe result on its own means little — a single timeout happens to every
site — so the state only turns *down* after `failures_to_down` consecutive
failures (default 3) and *up* again after `successes_to_up` consecutive
successes (default 2). What counts as a failure (see `failure_reason`):

- a connection error or timeout;
- a status code >= 500 (the server says it is broken);
- a keyword is configured and missing from the body (an error page served
  with 200, or a "we'll be right back" splash).

A 4xx is *not* a failure: the server answered, so it is up. A 403/404/429 on a
probe far more often means the probe URL is wrong or the probe is being
blocked or rate-limited than that the site is down, and turning that into a
"site is down" suggestion would put a false claim in front of readers.

State kept between results (JSON-serialisable)::

    {"schema": 1, "status": "unknown" | "up" | "down",
     "consecutive_failures": 0, "consecutive_successes": 0,
     "since": iso | None,              # when the current status began
     "first_failure_at": iso | None,   # start of the current failure streak
     "last_failure_reason": str | None, "last_checked_at": iso}

The first results are a baseline: unknown → up is silent. Unknown → down does
produce `PROBE_DOWN`: a site failing three checks in a row is news whatever we
knew before. Fingerprint: ``probe:<target>:down:<since>`` / ``…:up:<since>``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from .fetching import FetchError, fetch
from .types import Change, ChangeKind, Severity, isoformat_utc, parse_timestamp

__all__ = ["ProbeResult", "advance_probe", "failure_reason", "run_probe"]

STATE_SCHEMA = 1
FAILURES_TO_DOWN = 3  # one or two misses are routine network noise
SUCCESSES_TO_UP = 2  # sites flap while recovering; wait for a second good answer
# A probe only needs the top of the page to find its keyword.
PROBE_MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class ProbeResult:
    """One probe of a URL.

    `status_code` is None when no HTTP answer arrived (then `error` says why);
    `keyword_found` is None when no keyword is configured.
    """

    checked_at: datetime
    status_code: int | None = None
    error: str | None = None
    elapsed_ms: float = 0.0
    keyword_found: bool | None = None


def failure_reason(result: ProbeResult) -> str | None:
    """Why this result counts as a failure, or None if it is a success."""
    if result.error:
        return result.error
    if result.status_code is None:
        return "no response"
    if result.status_code >= 500:
        return f"server error {result.status_code}"
    if result.keyword_found is False:
        return "expected text missing from the page"
    return None


def advance_probe(
    previous: Mapping[str, Any] | None,
    result: ProbeResult,
    *,
    target: str,
    failures_to_down: int = FAILURES_TO_DOWN,
    successes_to_up: int = SUCCESSES_TO_UP,
) -> tuple[dict[str, Any], Change | None]:
    """Fold one probe result into the state; return the new state and any change.

    Pure: the same previous state and result always give the same answer.
    `target` (the source's key or URL) namespaces fingerprints.
    """
    state: dict[str, Any] = dict(previous) if previous else _initial_state()
    reason = failure_reason(result)
    checked_at = isoformat_utc(result.checked_at)
    state["last_checked_at"] = checked_at
    change: Change | None = None

    if reason is not None:
        if state["consecutive_failures"] == 0:
            state["first_failure_at"] = checked_at
        state["consecutive_failures"] += 1
        state["consecutive_successes"] = 0
        state["last_failure_reason"] = reason
        if (
            state["status"] != "down"
            and state["consecutive_failures"] >= failures_to_down
        ):
            # The outage began at the first failed check, not the third.
            since = state["first_failure_at"]
            change = Change(
                kind=ChangeKind.PROBE_DOWN,
                fingerprint=f"probe:{target}:down:{since}",
                severity=Severity.MAJOR,
                occurred_at=result.checked_at,
                title=f"{target}: not responding ({reason})",
                detail={
                    "source": "probe",
                    "target": target,
                    "reason": reason,
                    "status_code": result.status_code,
                    "failures": state["consecutive_failures"],
                    "down_since": since,
                },
                url=target if target.startswith(("http://", "https://")) else None,
                group_key=f"probe:{target}",
            )
            state["status"], state["since"] = "down", since
    else:
        state["consecutive_successes"] += 1
        state["consecutive_failures"] = 0
        state["first_failure_at"] = None
        if (
            state["status"] != "up"
            and state["consecutive_successes"] >= successes_to_up
        ):
            if state["status"] == "down":
                down_since = state["since"]
                minutes = (
                    result.checked_at - parse_timestamp(down_since)
                ).total_seconds() / 60
                change = Change(
                    kind=ChangeKind.PROBE_UP,
                    fingerprint=f"probe:{target}:up:{checked_at}",
                    # Recovery matters as much as the outage (see Severity).
                    severity=Severity.MAJOR,
                    occurred_at=result.checked_at,
                    title=f"{target}: responding again",
                    detail={
                        "source": "probe",
                        "target": target,
                        "status_code": result.status_code,
                        "down_since": down_since,
                        "down_minutes": round(minutes),
                    },
                    url=target if target.startswith(("http://", "https://")) else None,
                    group_key=f"probe:{target}",
                )
            state["status"], state["since"] = "up", checked_at
    return state, change


def run_probe(
    url: str,
    *,
    keyword: str | None = None,
    timeout: float = 10.0,
    allow_private: bool = False,
    client: httpx.Client | None = None,
) -> ProbeResult:
    """Probe `url` once with `fetching.fetch` and describe the outcome.

    Never raises for network trouble: errors become `ProbeResult.error`, so the
    state machine decides what they mean.
    """
    checked_at = datetime.now(UTC)
    started = time.monotonic()
    try:
        response = fetch(
            url,
            timeout=timeout,
            max_bytes=PROBE_MAX_BYTES,
            allow_private=allow_private,
            client=client,
            accept_client_errors=True,
        )
    except FetchError as error:
        return ProbeResult(
            checked_at=checked_at,
            status_code=error.status,
            # A 5xx is a status, not a transport error: keep the message short.
            error=None if error.status else error.message,
            elapsed_ms=(time.monotonic() - started) * 1000,
        )
    found: bool | None = None
    if keyword:
        body = (response.body or b"").decode("utf-8", errors="replace")
        found = keyword.casefold() in body.casefold()
    return ProbeResult(
        checked_at=checked_at,
        status_code=response.status,
        elapsed_ms=response.elapsed_ms,
        keyword_found=found,
    )


def _initial_state() -> dict[str, Any]:
    return {
        "schema": STATE_SCHEMA,
        "status": "unknown",
        "consecutive_failures": 0,
        "consecutive_successes": 0,
        "since": None,
        "first_failure_at": None,
        "last_failure_reason": None,
        "last_checked_at": None,
    }
