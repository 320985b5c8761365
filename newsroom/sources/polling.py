"""One poll of one source: fetch, parse, diff against the kept state, import.

``source_poll`` is what the worker's task and ``manage.py poll_sources`` call.
It never raises for trouble with the source itself: a fetch or parse problem is
recorded on the source's health (``services.source_record_failure``) with the
message an editor will read, and nothing is imported, so a broken source can
never produce a bogus suggestion.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from newsroom.sources import services
from newsroom.sources.conf import sources_settings
from newsroom.sources.feeds import diff_feed, parse_feed
from newsroom.sources.fetching import (
    FEED_CONTENT_TYPES,
    JSON_CONTENT_TYPES,
    FetchError,
    FetchResult,
    fetch,
)
from newsroom.sources.models import ReaderReport, SignalSource, SourceKind
from newsroom.sources.probe import advance_probe, run_probe
from newsroom.sources.reports import (
    advance_reports,
    assess_spike,
    parse_series_csv,
    parse_series_json,
)
from newsroom.sources.statuspage import diff_snapshots, parse_summary
from newsroom.sources.types import Change, ParseError

logger = logging.getLogger(__name__)

CSV_CONTENT_TYPES = ("text/csv", "application/csv", "text/plain")
# Readers' reports are counted in 15-minute windows, the granularity report
# charts use; 8 days of them give the 7-day same-slot baseline plus today.
READER_REPORT_WINDOW = dt.timedelta(minutes=15)
READER_REPORT_HISTORY = dt.timedelta(days=8)
# Spike thresholds the pure module accepts as options.
SPIKE_OPTIONS = ("min_count", "min_ratio", "alpha", "required", "window_count")


@dataclass
class PollOutcome:
    state: Any
    changes: list[Change]
    etag: str | None = None
    last_modified: str | None = None


def statuspage_url(url: str) -> str:
    """The summary.json of a status page given its base URL (or the JSON itself)."""
    if url.endswith(".json"):
        return url
    return url.rstrip("/") + "/api/v2/summary.json"


def _fetch(source: SignalSource, url: str, types: tuple[str, ...]) -> FetchResult:
    return fetch(
        url,
        etag=source.etag or None,
        last_modified=source.last_modified or None,
        timeout=sources_settings.FETCH_TIMEOUT,
        max_bytes=sources_settings.MAX_BYTES,
        allow_private=sources_settings.ALLOW_PRIVATE,
        expected_content_types=types,
    )


def _poll_statuspage(source: SignalSource) -> PollOutcome:
    fetched = _fetch(source, statuspage_url(source.url), JSON_CONTENT_TYPES)
    if fetched.body is None:  # 304: nothing changed since the last poll
        return PollOutcome(source.state, [], fetched.etag, fetched.last_modified)
    snapshot = parse_summary(fetched.body)
    return PollOutcome(
        snapshot, diff_snapshots(source.state, snapshot), fetched.etag, fetched.last_modified
    )


def _poll_feed(source: SignalSource) -> PollOutcome:
    fetched = _fetch(source, source.url, FEED_CONTENT_TYPES)
    if fetched.body is None:
        return PollOutcome(source.state, [], fetched.etag, fetched.last_modified)
    state, changes = diff_feed(source.state, parse_feed(fetched.body, feed_url=source.url))
    return PollOutcome(state, changes, fetched.etag, fetched.last_modified)


def _poll_probe(source: SignalSource) -> PollOutcome:
    options = source.options or {}
    result = run_probe(
        source.url,
        keyword=options.get("keyword") or None,
        timeout=sources_settings.FETCH_TIMEOUT,
        allow_private=sources_settings.ALLOW_PRIVATE,
    )
    extra = {k: int(options[k]) for k in ("failures_to_down", "successes_to_up") if k in options}
    state, change = advance_probe(source.state, result, target=source.url, **extra)
    return PollOutcome(state, [change] if change else [])


def _spike_options(source: SignalSource) -> dict[str, Any]:
    options = source.options or {}
    return {key: options[key] for key in SPIKE_OPTIONS if key in options}


def _poll_reports(source: SignalSource) -> PollOutcome:
    # No conditional GET: the assessment depends on the clock as well as the body.
    fetched = fetch(
        source.url,
        timeout=sources_settings.FETCH_TIMEOUT,
        max_bytes=sources_settings.MAX_BYTES,
        allow_private=sources_settings.ALLOW_PRIVATE,
        expected_content_types=JSON_CONTENT_TYPES + CSV_CONTENT_TYPES,
    )
    body = fetched.body or b""
    wants_csv = (source.options or {}).get("format") == "csv" or (
        (fetched.content_type or "").split(";")[0].strip() in CSV_CONTENT_TYPES
    )
    series = parse_series_csv(body) if wants_csv else parse_series_json(body)
    assessment = assess_spike(series, **_spike_options(source))
    state, change = advance_reports(
        source.state, assessment, source_key=f"source-{source.pk}", url=source.url or None
    )
    return PollOutcome(state, [change] if change else [])


def reader_report_series(
    source: SignalSource, *, now: dt.datetime | None = None
) -> list[tuple[dt.datetime, int]]:
    """Readers' reports per 15-minute window over the past 8 days, zeros included."""
    now = now or timezone.now()
    step = READER_REPORT_WINDOW.total_seconds()
    newest = int(now.timestamp() // step)
    oldest = newest - int(READER_REPORT_HISTORY.total_seconds() // step)
    counts = dict.fromkeys(range(oldest, newest + 1), 0)
    start = dt.datetime.fromtimestamp(oldest * step, tz=dt.UTC)
    for created_at in ReaderReport.objects.filter(
        source=source, created_at__gte=start
    ).values_list("created_at", flat=True):
        window = int(created_at.timestamp() // step)
        if window in counts:
            counts[window] += 1
    return [(dt.datetime.fromtimestamp(w * step, tz=dt.UTC), n) for w, n in counts.items()]


def _poll_reader_reports(source: SignalSource) -> PollOutcome:
    assessment = assess_spike(reader_report_series(source), **_spike_options(source))
    state, change = advance_reports(
        source.state, assessment, source_key=f"source-{source.pk}", url=None
    )
    return PollOutcome(state, [change] if change else [])


POLLERS = {
    SourceKind.STATUSPAGE: _poll_statuspage,
    SourceKind.FEED: _poll_feed,
    SourceKind.PROBE: _poll_probe,
    SourceKind.REPORTS: _poll_reports,
    SourceKind.READER_REPORTS: _poll_reader_reports,
}


def source_poll(*, source: SignalSource) -> services.ImportResult | None:
    """Poll the source once and import what changed; None when it failed.

    The caller holds the source's lock (``tasks.source_lock``).  Importing and
    saving the new state commit together, so a crash between them cannot lose
    a change (a re-poll re-diffs; the fingerprints dedupe).  The first poll
    only records a baseline: the pure diff functions return no changes for it.
    """
    poller = POLLERS.get(source.kind)  # type: ignore[call-overload]
    if poller is None:
        return services.ImportResult()  # webhook-only sources have nothing to poll
    try:
        outcome = poller(source)
    except (FetchError, ParseError) as error:
        services.source_record_failure(source=source, error=str(error))
        return None
    except Exception as error:  # a bug in a parser must not kill the worker loop
        logger.exception("unexpected error polling source %s", source.pk)
        services.source_record_failure(
            source=source, error=f"Unexpected error ({type(error).__name__}); see the worker log."
        )
        return None
    with transaction.atomic():
        result = services.signals_import(source=source, changes=outcome.changes, via="poll")
        services.source_record_success(
            source=source, state=outcome.state, etag=outcome.etag, last_modified=outcome.last_modified
        )
    return result
