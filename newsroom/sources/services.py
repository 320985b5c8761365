"""Every write of the sources app: importing changes, handling suggestions,
managing sources and watches, counting readers' reports, recording health.

The desk views, the admin, the worker's tasks and (later) the REST API all call
these functions.  Each checks permission first (``newsroom.permissions``:
HANDLE_SUGGESTIONS for suggestions, MANAGE_SOURCES for sources), writes inside
``transaction.atomic()``, and tells the desk only after commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from liveblog import services as liveblog_services
from liveblog.models import ArticleStatus, LiveArticle
from newsroom.permissions import Action, check
from newsroom.sources import desk
from newsroom.sources.conf import MIN_INTERVAL_SECONDS, sources_settings
from newsroom.sources.drafting import draft_text
from newsroom.sources.fetching import next_delay
from newsroom.sources.models import (
    ArticleSignalSettings,
    ArticleWatch,
    ReaderReport,
    Signal,
    SignalSource,
    SourceKind,
    Suggestion,
    SuggestionState,
)
from newsroom.sources.types import Change, ChangeKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from liveblog.models import Update
    from newsroom.models import Newsroom

logger = logging.getLogger(__name__)

# The options each kind reads from ``SignalSource.options`` (all optional).
SOURCE_OPTIONS: dict[str, tuple[str, ...]] = {
    SourceKind.STATUSPAGE: (),
    SourceKind.FEED: (),
    SourceKind.PROBE: ("keyword", "failures_to_down", "successes_to_up"),
    SourceKind.REPORTS: ("format", "min_count", "min_ratio", "alpha", "required", "window_count"),
    SourceKind.WEBHOOK: (),
    SourceKind.READER_REPORTS: ("min_count", "min_ratio", "alpha", "required", "window_count"),
}
KINDS_NEEDING_URL = frozenset(
    {SourceKind.STATUSPAGE, SourceKind.FEED, SourceKind.PROBE, SourceKind.REPORTS}
)


# Importing changes -----------------------------------------------------------


@dataclass
class ImportResult:
    """What one import stored: new signals (duplicates are not counted) and the
    suggestions created for watching articles."""

    signals: list[Signal] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)


def _signal_from_change(source: SignalSource, change: Change, via: str) -> Signal:
    return Signal(
        source=source,
        fingerprint=change.fingerprint,
        kind=change.kind.value,
        severity=change.severity.value,
        occurred_at=change.occurred_at,
        title=change.title[:500],
        detail=change.detail,
        url=(change.url or "")[:1000],
        group_key=change.group_key,
        received_via=via,
    )


def _change_of(signal: Signal) -> Change:
    return Change.from_dict(
        {
            "kind": signal.kind,
            "fingerprint": signal.fingerprint,
            "severity": signal.severity,
            "occurred_at": signal.occurred_at.isoformat(),
            "title": signal.title,
            "detail": signal.detail,
            "url": signal.url or None,
            "group_key": signal.group_key,
        }
    )


def signals_import(
    *, source: SignalSource, changes: Sequence[Change], via: str = "poll"
) -> ImportResult:
    """Store changes as signals and draft suggestions for every live article
    watching the source.  The worker's write; no user, no permission check.

    Idempotent: each signal is inserted under a savepoint and the unique
    constraint on ``(source, fingerprint)`` turns a duplicate (a second poll, a
    webhook of a polled change, a retried task) into a no-op, so it yields no
    second suggestion.  New signals sharing a ``group_key`` (related changes
    arriving together) become ONE suggestion per article; see ``_suggest`` for
    when a later change joins a waiting suggestion instead.
    Sends ``suggestion.created`` to each desk after commit.
    """
    result = ImportResult()
    if not changes:
        return result
    with transaction.atomic():
        for change in changes:
            try:
                with transaction.atomic():
                    signal = _signal_from_change(source, change, via)
                    signal.save()
            except IntegrityError:
                continue  # already stored: this is the dedup
            result.signals.append(signal)
        if not result.signals:
            return result
        groups: dict[str, list[Signal]] = defaultdict(list)
        for signal in result.signals:
            groups[signal.group_key].append(signal)
        articles = list(
            LiveArticle.objects.filter(
                signal_watches__source=source, status=ArticleStatus.LIVE
            ).select_related("newsroom")
        )
        for article in articles:
            for group_key, signals in groups.items():
                result.suggestions.append(
                    _suggest(article=article, source=source, group_key=group_key, signals=signals)
                )
    return result


# Changes that detail the story's current beat rather than make a new one: the
# components an incident takes down, the page's indicator turning red.
_DETAIL_KINDS = {ChangeKind.COMPONENT_STATUS.value, ChangeKind.INDICATOR_CHANGED.value}


def _suggest(
    *, article: LiveArticle, source: SignalSource, group_key: str, signals: list[Signal]
) -> Suggestion:
    """One suggestion for the signals of one story that arrived together.

    Every new beat of a story (an incident opened, identified, resolved; a probe
    down or up; a report spike) is a suggestion of its own, so each can be
    published and an editor who was away sees them all.  Signals that only add
    detail to the beat still waiting on the desk (component or indicator
    changes that a later poll brings for an incident a webhook announced) are
    drafted into that suggestion instead of adding another.
    """
    pending = None
    if {signal.kind for signal in signals} <= _DETAIL_KINDS:
        pending = (
            Suggestion.objects.select_for_update()
            .filter(
                article=article, source=source, group_key=group_key,
                state=SuggestionState.PENDING,
            )
            .order_by("-created_at")
            .first()
        )  # fmt: skip
    every = list(pending.signals.all()) + signals if pending else signals
    drafted = draft_text(
        [_change_of(signal) for signal in every],
        source_name=source.name,
        language=article.language if article.language in ("en", "es") else "en",
        time_zone=article.time_zone,
    )
    suggestion = pending or Suggestion(article=article, source=source, group_key=group_key)
    suggestion.title = drafted.title[:500]
    suggestion.body = drafted.body_markdown
    suggestion.severity = drafted.severity.value
    suggestion.url = (drafted.url or source.url or "")[:1000]
    suggestion.save()
    suggestion.signals.add(*signals)
    desk.send_after_commit(article_id=article.pk, payload=desk.suggestion_message(suggestion))
    return suggestion


# Handling suggestions -------------------------------------------------------


def _locked_pending(suggestion: Suggestion) -> Suggestion:
    locked = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("article__newsroom", "source", "handled_by")
        .get(pk=suggestion.pk)
    )
    if locked.state != SuggestionState.PENDING:
        who = locked.handled_by.get_username() if locked.handled_by else "someone"
        raise ValidationError(
            f"This suggestion was already {locked.get_state_display().lower()} by {who}."
        )
    return locked


def suggestion_publish(
    *, user: AbstractBaseUser, suggestion: Suggestion, body: str | None = None
) -> Update:
    """Publish a suggestion as an update attributed to its source (editors).

    ``body`` is the editor's edited text; None publishes the draft as is.  A
    suggestion is published at most once: the row is locked and must still be
    pending, so two editors clicking Publish give one update and the second is
    told who was first.  Publishes ``update.created`` to readers (through
    ``liveblog.services.update_publish``) and ``suggestion.handled`` to the desk.
    """
    check(user=user, newsroom=suggestion.article.newsroom, action=Action.HANDLE_SUGGESTIONS)
    with transaction.atomic():
        locked = _locked_pending(suggestion)
        update = liveblog_services.update_publish(
            user=user,
            article=locked.article,
            body=locked.body if body is None else body,
            source_name=locked.source.name,
            source_url=locked.url,
        )
        locked.state = SuggestionState.PUBLISHED
        locked.handled_by = user  # type: ignore[assignment]
        locked.handled_at = timezone.now()
        locked.published_update = update
        locked.save(update_fields=["state", "handled_by", "handled_at", "published_update", "updated_at"])
        desk.send_after_commit(article_id=locked.article_id, payload=desk.handled_message(locked))
    suggestion.refresh_from_db()
    return update


def suggestion_dismiss(*, user: AbstractBaseUser, suggestion: Suggestion) -> Suggestion:
    """Dismiss a pending suggestion (editors); the desk sees it handled at once."""
    check(user=user, newsroom=suggestion.article.newsroom, action=Action.HANDLE_SUGGESTIONS)
    with transaction.atomic():
        locked = _locked_pending(suggestion)
        locked.state = SuggestionState.DISMISSED
        locked.handled_by = user  # type: ignore[assignment]
        locked.handled_at = timezone.now()
        locked.save(update_fields=["state", "handled_by", "handled_at", "updated_at"])
        desk.send_after_commit(article_id=locked.article_id, payload=desk.handled_message(locked))
    return locked


# Managing sources -----------------------------------------------------------


def _clean_source(source: SignalSource) -> None:
    if source.kind in KINDS_NEEDING_URL and not source.url:
        raise ValidationError({"url": f"A {source.get_kind_display()} source needs a URL."})
    if source.url and not source.url.startswith(("http://", "https://")):
        raise ValidationError({"url": "Only http:// and https:// URLs can be watched."})
    if source.interval_seconds < MIN_INTERVAL_SECONDS:
        raise ValidationError(
            {"interval_seconds": f"Poll at most every {MIN_INTERVAL_SECONDS} seconds."}
        )
    allowed = set(SOURCE_OPTIONS.get(source.kind, ()))
    unknown = set(source.options or {}) - allowed
    if unknown:
        raise ValidationError(
            {"options": f"Unknown option(s) for this kind: {', '.join(sorted(unknown))}."}
        )
    source.full_clean(exclude=["state", "webhook_token"])


def source_create(
    *,
    user: AbstractBaseUser,
    newsroom: Newsroom,
    name: str,
    kind: str,
    url: str = "",
    interval_seconds: int = 60,
    options: dict[str, Any] | None = None,
    enabled: bool = True,
) -> SignalSource:
    """Add a source to the newsroom (admins).  Its first poll is a baseline."""
    check(user=user, newsroom=newsroom, action=Action.MANAGE_SOURCES)
    source = SignalSource(
        newsroom=newsroom,
        name=name.strip(),
        kind=kind,
        url=url.strip(),
        interval_seconds=interval_seconds,
        options=options or {},
        enabled=enabled,
    )
    _clean_source(source)
    with transaction.atomic():
        source.save()
    return source


_EDITABLE = ("name", "url", "interval_seconds", "options", "enabled")


def source_update(*, user: AbstractBaseUser, source: SignalSource, **changes: Any) -> SignalSource:
    """Change a source's name, URL, interval, options or enabled flag (admins).

    A new URL starts again from a baseline (the old snapshot describes another
    page) and clears the conditional-GET validators and the failure streak.
    """
    check(user=user, newsroom=source.newsroom, action=Action.MANAGE_SOURCES)
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValidationError(f"These cannot be changed: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        source = SignalSource.objects.select_for_update().get(pk=source.pk)
        repointed = "url" in changes and changes["url"] != source.url
        for name, value in changes.items():
            setattr(source, name, value.strip() if isinstance(value, str) else value)
        if repointed:
            source.state, source.etag, source.last_modified = None, "", ""
            source.consecutive_failures, source.failure_notified = 0, False
            source.next_poll_at = None
        _clean_source(source)
        source.save()
    return source


def source_rotate_token(*, user: AbstractBaseUser, source: SignalSource) -> SignalSource:
    """Give the source a new webhook token; the old URL stops working at once."""
    from newsroom.sources.models import new_webhook_token

    check(user=user, newsroom=source.newsroom, action=Action.MANAGE_SOURCES)
    source.webhook_token = new_webhook_token()
    source.save(update_fields=["webhook_token"])
    return source


def watch_set(
    *, user: AbstractBaseUser, article: LiveArticle, source: SignalSource, watching: bool
) -> None:
    """Make the article watch (or stop watching) a source of its own newsroom."""
    check(user=user, newsroom=article.newsroom, action=Action.HANDLE_SUGGESTIONS)
    if source.newsroom_id != article.newsroom_id:
        raise PermissionDenied("An article can only watch its own newsroom's sources.")
    with transaction.atomic():
        if watching:
            ArticleWatch.objects.get_or_create(article=article, source=source)
        else:
            ArticleWatch.objects.filter(article=article, source=source).delete()


def article_reader_reports_set(
    *, user: AbstractBaseUser, article: LiveArticle, enabled: bool
) -> ArticleSignalSettings:
    """Show or hide the readers' "Having problems too?" button (editors).

    Enabling it creates the newsroom's "Readers' reports" source on first use
    and makes the article watch it, so a surge of reports becomes a suggestion.
    """
    check(user=user, newsroom=article.newsroom, action=Action.EDIT_ARTICLE)
    with transaction.atomic():
        settings, _ = ArticleSignalSettings.objects.select_for_update().get_or_create(
            article=article
        )
        if enabled and settings.reader_reports_source is None:
            source, _ = SignalSource.objects.get_or_create(
                newsroom=article.newsroom,
                kind=SourceKind.READER_REPORTS,
                defaults={"name": f"{article.newsroom.name} readers' reports"},
            )
            settings.reader_reports_source = source
        changed = settings.reader_reports_enabled != enabled
        settings.reader_reports_enabled = enabled
        settings.save()
        if changed:
            # The button is on the reader page, which is cached per seq.
            liveblog_services.article_page_changed(user=user, article=article)
        if enabled and settings.reader_reports_source is not None:
            ArticleWatch.objects.get_or_create(
                article=article, source=settings.reader_reports_source
            )
    return settings


def reader_report_record(*, article: LiveArticle, client_key: str) -> bool:
    """Count one reader's "I have problems too" for the article.

    Returns False (and stores nothing) when the article does not take reports or
    this client already reported within ``READER_REPORT_SECONDS``: the window is
    claimed with one atomic cache ``add`` on Redis, so concurrent presses from
    one client count once.
    """
    settings = (
        ArticleSignalSettings.objects.filter(article=article, reader_reports_enabled=True)
        .select_related("reader_reports_source")
        .first()
    )
    if settings is None or settings.reader_reports_source is None or not article.is_live:
        return False
    digest = hashlib.sha256(client_key.encode()).hexdigest()[:32]  # no raw IPs stored
    if not cache.add(
        f"sources:report:{article.pk}:{digest}", 1, timeout=sources_settings.READER_REPORT_SECONDS
    ):
        return False
    ReaderReport.objects.create(source=settings.reader_reports_source, article=article)
    return True


# Health --------------------------------------------------------------------


def _watching_live(source: SignalSource) -> Iterable[int]:
    return ArticleWatch.objects.filter(
        source=source, article__status=ArticleStatus.LIVE
    ).values_list("article_id", flat=True)


def source_record_success(
    *,
    source: SignalSource,
    state: Any,
    etag: str | None = None,
    last_modified: str | None = None,
    now: dt.datetime | None = None,
) -> SignalSource:
    """Save the parser state and a healthy poll; tell the desks a failing source
    recovered (once, only if they were told it failed)."""
    now = now or timezone.now()
    was_notified = source.failure_notified
    source.state = state
    if etag is not None:
        source.etag = etag[:300]
    if last_modified is not None:
        source.last_modified = last_modified[:100]
    source.last_polled_at = source.last_success_at = now
    source.consecutive_failures = 0
    source.failure_notified = False
    source.next_poll_at = now + dt.timedelta(seconds=source.interval_seconds)
    with transaction.atomic():
        source.save(
            update_fields=[
                "state", "etag", "last_modified", "last_polled_at", "last_success_at",
                "consecutive_failures", "failure_notified", "next_poll_at",
            ]
        )  # fmt: skip
        if was_notified:
            _tell_health(source)
    return source


def source_record_failure(
    *, source: SignalSource, error: str, now: dt.datetime | None = None
) -> SignalSource:
    """Record a failed poll and back off (``fetching.next_delay``, exponential
    with jitter from the source's interval up to the cap).  The desks of
    watching articles are told once, when the streak reaches
    ``FAILURES_BEFORE_ALERT``; later failures only update the health panel on
    the next page load, so a dead source never floods the editors."""
    now = now or timezone.now()
    source.consecutive_failures += 1
    source.last_polled_at = source.last_error_at = now
    source.last_error = error[:2000]
    delay = max(
        float(source.interval_seconds),
        next_delay(
            source.consecutive_failures,
            base=float(source.interval_seconds),
            cap=sources_settings.BACKOFF_CAP_SECONDS,
        ),
    )
    source.next_poll_at = now + dt.timedelta(seconds=delay)
    alert = (
        not source.failure_notified
        and source.consecutive_failures >= sources_settings.FAILURES_BEFORE_ALERT
    )
    if alert:
        source.failure_notified = True
    with transaction.atomic():
        source.save(
            update_fields=[
                "consecutive_failures", "last_polled_at", "last_error_at", "last_error",
                "next_poll_at", "failure_notified",
            ]
        )  # fmt: skip
        if alert:
            _tell_health(source)
    logger.info("source %s failed (%s in a row): %s", source.pk, source.consecutive_failures, error)
    return source


def _tell_health(source: SignalSource) -> None:
    payload = desk.health_message(source)
    for article_id in list(_watching_live(source)):
        desk.send_after_commit(article_id=article_id, payload=payload)
