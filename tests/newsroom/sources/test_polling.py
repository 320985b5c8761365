"""Each source kind through the worker's task, against payloads served by a
local HTTP server: baseline first, then one suggestion per story on the desk;
broken sources end in a clear error on their health, never a suggestion."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from newsroom.sources.models import ReaderReport, Signal, SignalSource, SourceKind, Suggestion
from newsroom.sources.tasks import enqueue_due_sources, poll_source, source_lock
from tests.newsroom.sources.conftest import read_fixture
from tests.newsroom.sources.support import (  # noqa: F401 - fixtures
    allow_private,
    desk_listener,
    eager_celery,
    serve_json,
    types_of,
    watched_source,
)

pytestmark = pytest.mark.usefixtures("allow_private")


def _poll(source: SignalSource, capture: Any) -> SignalSource:
    with capture(execute=True):
        poll_source(source.pk)
    source.refresh_from_db()
    return source


def test_first_poll_is_a_baseline_and_the_next_change_becomes_one_suggestion_on_the_desk(
    article: Any, http_server: Any, desk_listener: Any, django_capture_on_commit_callbacks: Any
) -> None:
    summary = serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-groups-operational.json")
    source = watched_source(article, kind=SourceKind.STATUSPAGE, url=http_server.url("/"), name="Chirp")

    _poll(source, django_capture_on_commit_callbacks)
    assert source.last_success_at is not None and source.state is not None
    assert not Suggestion.objects.exists()
    assert desk_listener.messages() == []

    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-groups-major.json")
    _poll(source, django_capture_on_commit_callbacks)

    # Incident opened, its two updates, components and indicator: one story.
    assert Signal.objects.filter(source=source).count() > 2
    suggestion = Suggestion.objects.get()
    assert suggestion.article == article and suggestion.state == "pending"
    assert "Chirp" in suggestion.body and "Timelines" in suggestion.body
    assert suggestion.severity == "critical"
    messages = desk_listener.messages()
    assert types_of(messages) == ["suggestion.created"]
    assert messages[0]["id"] == suggestion.pk
    assert "Publish" in messages[0]["html"] and "Chirp" in messages[0]["html"]
    assert summary.endswith("/api/v2/summary.json")


def test_the_same_payload_polled_twice_gives_one_signal_and_one_suggestion(
    article: Any, http_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-operational.json")
    source = watched_source(article, kind=SourceKind.STATUSPAGE, url=http_server.url("/"))
    _poll(source, django_capture_on_commit_callbacks)
    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-major.json")
    _poll(source, django_capture_on_commit_callbacks)
    signals, suggestions = Signal.objects.count(), Suggestion.objects.count()

    _poll(source, django_capture_on_commit_callbacks)
    _poll(source, django_capture_on_commit_callbacks)

    assert suggestions == 1
    assert (Signal.objects.count(), Suggestion.objects.count()) == (signals, suggestions)


def test_a_task_run_twice_on_the_same_change_imports_it_once(
    article: Any, http_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-operational.json")
    source = watched_source(article, kind=SourceKind.STATUSPAGE, url=http_server.url("/"))
    _poll(source, django_capture_on_commit_callbacks)
    baseline = SignalSource.objects.get(pk=source.pk).state
    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-major.json")
    _poll(source, django_capture_on_commit_callbacks)
    first = (Signal.objects.count(), Suggestion.objects.count())

    # A retry after the first run committed: the same diff, from the same state.
    SignalSource.objects.filter(pk=source.pk).update(state=baseline)
    _poll(source, django_capture_on_commit_callbacks)

    assert first[1] == 1
    assert (Signal.objects.count(), Suggestion.objects.count()) == first


def test_a_status_feed_rewritten_in_place_suggests_the_resolution(
    article: Any, http_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    atom = {"Content-Type": "application/atom+xml"}
    http_server.route("/history.atom", body=read_fixture("statuspage-history-before.atom"), headers=atom)
    source = watched_source(article, kind=SourceKind.FEED, url=http_server.url("/history.atom"))
    _poll(source, django_capture_on_commit_callbacks)
    assert not Suggestion.objects.exists()

    http_server.route("/history.atom", body=read_fixture("statuspage-history-after.atom"), headers=atom)
    _poll(source, django_capture_on_commit_callbacks)

    suggestion = Suggestion.objects.get()
    assert "resolved" in suggestion.body.lower()
    assert source.consecutive_failures == 0


def test_a_probe_suggests_the_site_is_down_only_after_three_failures_and_up_after_two(
    article: Any, http_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    url = http_server.route("/", body=b"<h1>Welcome</h1>", headers={"Content-Type": "text/html"})
    source = watched_source(article, kind=SourceKind.PROBE, url=url, name="chirp.example")
    _poll(source, django_capture_on_commit_callbacks)

    http_server.route("/", status=503, body=b"down")
    for _ in range(2):
        _poll(source, django_capture_on_commit_callbacks)
    assert not Suggestion.objects.exists()
    _poll(source, django_capture_on_commit_callbacks)
    down = Suggestion.objects.get()
    assert down.severity in ("major", "critical")

    http_server.route("/", body=b"<h1>Welcome</h1>", headers={"Content-Type": "text/html"})
    _poll(source, django_capture_on_commit_callbacks)
    assert Suggestion.objects.count() == 1
    _poll(source, django_capture_on_commit_callbacks)
    # The recovery is news of its own: a second suggestion, saying it is back.
    assert Signal.objects.filter(source=source).count() == 2
    up = Suggestion.objects.exclude(pk=down.pk).get()
    assert "again" in up.body.lower() or "back" in up.body.lower() or "up" in up.body.lower()
    # A probe failing is a signal, not a broken source.
    assert source.consecutive_failures == 0


def _series(days: int, *, surge: list[int]) -> list[dict[str, Any]]:
    """Quiet 15-minute windows (5 reports) for ``days`` days, then ``surge``."""
    end = timezone.now().replace(second=0, microsecond=0)
    end -= dt.timedelta(minutes=end.minute % 15)
    step = dt.timedelta(minutes=15)
    quiet = days * 96
    points = [{"t": (end - step * (quiet + len(surge) - i)).isoformat(), "count": 5} for i in range(quiet)]
    points += [{"t": (end - step * (len(surge) - i)).isoformat(), "count": n} for i, n in enumerate(surge)]
    return points


def test_a_report_count_surge_becomes_a_suggestion_with_the_ratio(
    article: Any, http_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import json

    route = {"headers": {"Content-Type": "application/json"}}
    http_server.route("/reports.json", body=json.dumps(_series(7, surge=[5, 5, 5])).encode(), **route)
    source = watched_source(article, kind=SourceKind.REPORTS, url=http_server.url("/reports.json"), name="Reports")
    _poll(source, django_capture_on_commit_callbacks)
    assert not Suggestion.objects.exists()

    http_server.route("/reports.json", body=json.dumps(_series(7, surge=[5, 80, 120])).encode(), **route)
    _poll(source, django_capture_on_commit_callbacks)

    suggestion = Suggestion.objects.get()
    assert "24" in suggestion.body  # 120 reports against a baseline of 5


def test_readers_reports_surging_on_the_newsrooms_own_button_become_a_suggestion(
    article: Any, django_capture_on_commit_callbacks: Any
) -> None:
    source = watched_source(
        article, kind=SourceKind.READER_REPORTS, name="Readers' reports",
        options={"min_count": 10},
    )  # fmt: skip
    _poll(source, django_capture_on_commit_callbacks)
    assert not Suggestion.objects.exists()

    now = timezone.now()
    reports = [ReaderReport(source=source, article=article) for _ in range(30)]
    ReaderReport.objects.bulk_create(reports)
    # Two windows of surge: the current one and the one before it.
    earlier = [ReaderReport(source=source, article=article) for _ in range(30)]
    ReaderReport.objects.bulk_create(earlier)
    ReaderReport.objects.filter(pk__in=[r.pk for r in earlier]).update(
        created_at=now - dt.timedelta(minutes=15)
    )
    _poll(source, django_capture_on_commit_callbacks)

    suggestion = Suggestion.objects.get()
    assert suggestion.source == source and "Readers' reports" in suggestion.title


BROKEN = {
    "html instead of json": (
        {"body": read_fixture("not-a-feed.html"), "headers": {"Content-Type": "text/html"}},
        "expected application/json",
    ),
    "truncated json": (
        {"body": read_fixture("statuspage-summary-truncated.json"), "headers": {"Content-Type": "application/json"}},
        "invalid or truncated JSON",
    ),
    "oversized": (
        {"body": b"{" + b" " * 3_000_000 + b"}", "headers": {"Content-Type": "application/json"}},
        "larger than",
    ),
    "server error": ({"status": 500, "body": b"oops"}, "answered 500"),
    "cut off mid-body": (
        {"body": b'{"page": {', "declared_length": 5000, "headers": {"Content-Type": "application/json"}},
        "incomplete response",
    ),
    "slow": ({"delay": 2.0, "body": b"{}"}, "timed out"),
    "not statuspage json": (
        {"body": b'{"hello": "world"}', "headers": {"Content-Type": "application/json"}},
        "summary.json",
    ),
}


@pytest.mark.parametrize("answer,message", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_source_records_a_clear_error_and_suggests_nothing(
    article: Any, http_server: Any, settings: Any, django_capture_on_commit_callbacks: Any,
    answer: dict[str, Any], message: str,
) -> None:  # fmt: skip
    settings.LIVEDESK_SOURCES_FETCH_TIMEOUT = 0.5
    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-operational.json")
    source = watched_source(article, kind=SourceKind.STATUSPAGE, url=http_server.url("/"))
    _poll(source, django_capture_on_commit_callbacks)

    http_server.route("/api/v2/summary.json", **answer)
    _poll(source, django_capture_on_commit_callbacks)

    assert message in source.last_error
    assert source.consecutive_failures == 1 and source.last_error_at is not None
    assert source.next_poll_at > timezone.now() + dt.timedelta(seconds=source.interval_seconds / 2)
    assert not Signal.objects.exists() and not Suggestion.objects.exists()


def test_a_source_that_keeps_failing_tells_the_desk_once_and_recovering_tells_it_once(
    article: Any, http_server: Any, desk_listener: Any, django_capture_on_commit_callbacks: Any
) -> None:
    http_server.route("/api/v2/summary.json", status=500, body=b"oops")
    source = watched_source(article, kind=SourceKind.STATUSPAGE, url=http_server.url("/"))
    for _ in range(6):
        _poll(source, django_capture_on_commit_callbacks)

    messages = desk_listener.messages()
    assert types_of(messages) == ["source.health"]
    assert messages[0]["healthy"] is False and "answered 500" in messages[0]["html"]
    assert source.consecutive_failures == 6
    # Backing off: the sixth failure waits far longer than the interval.
    assert source.next_poll_at - source.last_error_at > dt.timedelta(seconds=source.interval_seconds * 8)

    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-operational.json")
    _poll(source, django_capture_on_commit_callbacks)
    _poll(source, django_capture_on_commit_callbacks)
    recovered = desk_listener.messages()
    assert [(m["type"], m["healthy"]) for m in recovered] == [("source.health", True)]
    assert source.consecutive_failures == 0 and source.last_error  # history kept


def test_an_unchanged_source_answering_304_keeps_its_state(
    article: Any, http_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    body = read_fixture("statuspage-summary-operational.json")

    def conditional(headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Content-Type": "application/json"}, body

    http_server.route("/api/v2/summary.json", handler=conditional)
    source = watched_source(article, kind=SourceKind.STATUSPAGE, url=http_server.url("/"))
    _poll(source, django_capture_on_commit_callbacks)
    state = source.state
    _poll(source, django_capture_on_commit_callbacks)

    assert http_server.requests[-1].headers.get("if-none-match") == '"v1"'
    assert source.state == state and source.consecutive_failures == 0


def test_a_source_being_polled_by_one_worker_is_skipped_by_another(
    article: Any, http_server: Any
) -> None:
    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-operational.json")
    source = watched_source(article, kind=SourceKind.STATUSPAGE, url=http_server.url("/"))

    with source_lock(source.pk) as held:
        assert held
        assert poll_source(source.pk) is None

    assert http_server.requests == []
    source.refresh_from_db()
    assert source.last_polled_at is None


def test_private_addresses_are_refused_unless_allowed(
    article: Any, http_server: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LIVEDESK_SOURCES_ALLOW_PRIVATE = False
    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-operational.json")
    source = watched_source(article, kind=SourceKind.STATUSPAGE, url=http_server.url("/"))
    _poll(source, django_capture_on_commit_callbacks)

    assert source.consecutive_failures == 1
    assert "127.0.0.1" in source.last_error
    assert http_server.requests == []


def test_the_beat_enqueues_each_due_source_once_per_interval(
    article: Any, http_server: Any, eager_celery: Any
) -> None:
    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-operational.json")
    due = watched_source(article, kind=SourceKind.STATUSPAGE, url=http_server.url("/"))
    later = watched_source(
        article, kind=SourceKind.STATUSPAGE, url=http_server.url("/"), name="Later",
        next_poll_at=timezone.now() + dt.timedelta(minutes=5),
    )  # fmt: skip
    webhook_only = watched_source(article, kind=SourceKind.WEBHOOK, name="Monitor")

    assert enqueue_due_sources() == 1
    assert enqueue_due_sources() == 0  # claimed: not due again for an interval

    due.refresh_from_db()
    later.refresh_from_db()
    webhook_only.refresh_from_db()
    assert due.last_success_at is not None
    assert later.last_polled_at is None and webhook_only.last_polled_at is None
    assert len(http_server.requests) == 1
