"""A scripted outage, served in Statuspage v2 format on 127.0.0.1, for the demo.

The page steps operational → investigating → identified → monitoring →
resolved, one step every ``step_seconds`` (20 s by default), then starts over
with a fresh incident id.  What it serves is a pure function of the clock
(``DemoOutage.summary(now)``), so a poll at any moment sees a consistent page,
and incident ids include the server's start time, so restarting the demo never
replays ids the database already holds (they would be deduped into silence).

No Django here: ``manage.py demo_statuspage`` and the tests run it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PAGE_ID = "livedeskdemo"
PAGE_NAME = "Twitter"
COMPONENTS = [("cmp-timelines", "Timelines"), ("cmp-login", "Login"), ("cmp-posting", "Posting")]

# One outage: (incident status, indicator, component statuses, the company's words).
STEPS: list[tuple[str | None, str, dict[str, str], str]] = [
    (None, "none", {}, ""),
    (
        "investigating",
        "major",
        {"cmp-timelines": "major_outage", "cmp-login": "partial_outage"},
        "We are investigating reports that timelines are not loading and some "
        "people cannot log in.",
    ),
    (
        "identified",
        "major",
        {"cmp-timelines": "major_outage", "cmp-login": "partial_outage"},
        "The issue has been identified: a configuration change to our load "
        "balancers. A fix is being rolled out.",
    ),
    (
        "monitoring",
        "minor",
        {"cmp-timelines": "degraded_performance"},
        "A fix has been implemented and we are monitoring the results.",
    ),
    ("resolved", "none", {}, "This incident has been resolved."),
]
INDICATOR_WORDS = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class DemoOutage:
    """The scripted page; ``started_at`` anchors the schedule."""

    step_seconds: float = 20.0
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    base_url: str = "http://127.0.0.1"
    # Fixed at creation, so incident ids stay stable for the life of the server.
    run_id: str = ""

    def __post_init__(self) -> None:
        self.run_id = self.run_id or f"{int(self.started_at.timestamp()):x}"

    def _position(self, now: datetime) -> tuple[int, int]:
        elapsed = max(0.0, (now - self.started_at).total_seconds())
        index = int(elapsed // self.step_seconds)
        return divmod(index, len(STEPS))  # (cycle, step)

    def _step_start(self, cycle: int, step: int) -> datetime:
        index = cycle * len(STEPS) + step
        return self.started_at + timedelta(seconds=index * self.step_seconds)

    def incident_id(self, cycle: int) -> str:
        return f"demo{self.run_id}n{cycle}"

    def summary(self, now: datetime | None = None) -> dict[str, Any]:
        """``/api/v2/summary.json`` at ``now``."""
        now = now or datetime.now(UTC)
        cycle, step = self._position(now)
        status, indicator, statuses, _ = STEPS[step]
        changed_at = self._step_start(cycle, step)
        components = [
            {
                "id": component_id,
                "name": name,
                "status": statuses.get(component_id, "operational"),
                "created_at": _iso(self.started_at),
                "updated_at": _iso(changed_at),
                "position": position,
                "group_id": None,
                "group": False,
                "page_id": self.page_id,
            }
            for position, (component_id, name) in enumerate(COMPONENTS, start=1)
        ]
        incidents = []
        if status is not None:
            # The resolving update stays listed for its step so the desk can say
            # how long the outage lasted (a real summary.json drops it at once;
            # polling then infers the resolution without that detail).
            incidents.append(self._incident(cycle, step))
        return {
            "page": self._page(changed_at),
            "status": {"indicator": indicator, "description": INDICATOR_WORDS[indicator]},
            "components": components,
            "incidents": incidents,
            "scheduled_maintenances": [],
        }

    def incidents(self, now: datetime | None = None) -> dict[str, Any]:
        """``/api/v2/incidents.json``: the current and earlier incidents of this run."""
        now = now or datetime.now(UTC)
        cycle, step = self._position(now)
        listed = []
        for number in range(cycle, max(-1, cycle - 5), -1):
            last = step if number == cycle else len(STEPS) - 1
            if last >= 1:
                listed.append(self._incident(number, last))
        return {"page": self._page(self._step_start(cycle, step)), "incidents": listed}

    @property
    def page_id(self) -> str:
        # Per run: a restarted demo is "another page", so the worker takes a new
        # baseline instead of reading the old run's open incident as resolved.
        return f"{PAGE_ID}{self.run_id}"

    def _page(self, updated_at: datetime) -> dict[str, Any]:
        return {
            "id": self.page_id,
            "name": PAGE_NAME,
            "url": self.base_url,
            "time_zone": "Etc/UTC",
            "updated_at": _iso(updated_at),
        }

    def _incident(self, cycle: int, step: int) -> dict[str, Any]:
        incident_id = self.incident_id(cycle)
        updates = []
        for number in range(1, step + 1):
            status, _, statuses, words = STEPS[number]
            previous = STEPS[number - 1][2]
            at = _iso(self._step_start(cycle, number))
            updates.append(
                {
                    "id": f"{incident_id}u{number}",
                    "status": status,
                    "body": words,
                    "incident_id": incident_id,
                    "created_at": at,
                    "updated_at": at,
                    "display_at": at,
                    "affected_components": [
                        {
                            "code": component_id,
                            "name": name,
                            "old_status": previous.get(component_id, "operational"),
                            "new_status": statuses.get(component_id, "operational"),
                        }
                        for component_id, name in COMPONENTS
                        if previous.get(component_id) != statuses.get(component_id)
                    ],
                }
            )
        updates.reverse()  # newest first, as Statuspage sends them
        status = STEPS[step][0]
        started = _iso(self._step_start(cycle, 1))
        return {
            "id": incident_id,
            "name": "Timelines not loading and login failures",
            "status": status,
            "impact": "major",
            "created_at": started,
            "started_at": started,
            "updated_at": updates[0]["created_at"],
            "resolved_at": updates[0]["created_at"] if status == "resolved" else None,
            "shortlink": f"{self.base_url}/incidents/{incident_id}",
            "page_id": self.page_id,
            "incident_updates": updates,
            "components": [
                {"id": component_id, "name": name, "status": "operational"}
                for component_id, name in COMPONENTS[:2]
            ],
        }


def serve(outage: DemoOutage, *, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Start serving the outage in a daemon thread; returns the server (its
    ``server_address`` has the port).  Stop it with ``shutdown()``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            path = self.path.split("?", 1)[0]
            if path.endswith("/summary.json"):
                body, kind = json.dumps(outage.summary()).encode(), "application/json"
            elif path.endswith("/incidents.json"):
                body, kind = json.dumps(outage.incidents()).encode(), "application/json"
            else:
                summary = outage.summary()
                text = f"{PAGE_NAME} status: {summary['status']['description']}"
                body, kind = f"<!doctype html><title>{text}</title><h1>{text}</h1>".encode(), "text/html"
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    outage.base_url = f"http://{host}:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    return server
