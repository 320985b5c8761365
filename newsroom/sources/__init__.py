"""Outage signals, without Django: parse sources, detect changes, draft text, fetch.

Each source kind has a pure module: it turns a fetched payload (or a probe
result) plus the state kept from the previous poll into new state and a list
of `Change`s with stable fingerprints. `drafting.draft_text` turns a group of
related changes into one suggestion's text; `fetching.fetch` is the only code
that touches the network. Models, tasks and services live elsewhere and import
from here; nothing here imports Django.

| module | input | state between polls |
| --- | --- | --- |
| `statuspage` | `summary.json` / `incidents.json` | the previous snapshot |
| `feeds` | RSS/Atom bytes | `{"seen": [...]}` |
| `probe` | `ProbeResult` | up/down counters |
| `reports` | report-count series | `{"spiking", "since", ...}` |
| `webhook` | a webhook body | none (fingerprints dedupe) |
"""

from __future__ import annotations

from .drafting import DraftedSuggestion, draft_text
from .feeds import diff_feed, parse_feed
from .fetching import (
    FEED_CONTENT_TYPES,
    JSON_CONTENT_TYPES,
    FetchError,
    FetchResult,
    fetch,
    next_delay,
)
from .probe import ProbeResult, advance_probe, failure_reason, run_probe
from .reports import (
    SpikeAssessment,
    WindowAssessment,
    advance_reports,
    assess_spike,
    parse_series_csv,
    parse_series_json,
    poisson_upper_tail,
)
from .statuspage import diff_snapshots, parse_incidents, parse_summary
from .types import Change, ChangeKind, ParseError, Severity
from .webhook import parse_generic_webhook, parse_statuspage_webhook, parse_webhook

__all__ = [
    "FEED_CONTENT_TYPES",
    "JSON_CONTENT_TYPES",
    "Change",
    "ChangeKind",
    "DraftedSuggestion",
    "FetchError",
    "FetchResult",
    "ParseError",
    "ProbeResult",
    "Severity",
    "SpikeAssessment",
    "WindowAssessment",
    "advance_probe",
    "advance_reports",
    "assess_spike",
    "diff_feed",
    "diff_snapshots",
    "draft_text",
    "failure_reason",
    "fetch",
    "next_delay",
    "parse_feed",
    "parse_generic_webhook",
    "parse_incidents",
    "parse_series_csv",
    "parse_series_json",
    "parse_statuspage_webhook",
    "parse_summary",
    "parse_webhook",
    "poisson_upper_tail",
    "run_probe",
]
