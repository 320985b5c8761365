"""Signal sources, the signals they produced, and the suggestions on the desk.

- ``SignalSource``: one thing a newsroom watches (a status page, a feed, a
  probe, a report-count series, a webhook sender, its readers' own reports),
  with the parser state kept between polls and its health.
- ``ArticleWatch``: a live article watching a source.
- ``Signal``: one normalised change; ``(source, fingerprint)`` is unique, so the
  same fact imported twice (two polls, or a poll and a webhook) is one row.
- ``Suggestion``: a drafted update for one article, merging related signals.
- ``ArticleSignalSettings`` / ``ReaderReport``: the readers' "Having problems
  too?" button and the reports it counts.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from newsroom.sources.conf import DEFAULT_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS


def new_webhook_token() -> str:
    # 32 random bytes: the token is the only secret guarding the webhook URL.
    return secrets.token_urlsafe(32)


class SourceKind(models.TextChoices):
    STATUSPAGE = "statuspage", "Statuspage v2 API"
    FEED = "feed", "RSS/Atom status feed"
    PROBE = "probe", "HTTP probe"
    REPORTS = "reports", "User-report counts (JSON or CSV)"
    WEBHOOK = "webhook", "Inbound webhook only"
    READER_REPORTS = "reader_reports", "Readers' own reports"


# Kinds the worker polls; the others only receive (webhook, reader reports are
# counted from our own table but still assessed on a schedule).
POLLED_KINDS = frozenset(
    {
        SourceKind.STATUSPAGE,
        SourceKind.FEED,
        SourceKind.PROBE,
        SourceKind.REPORTS,
        SourceKind.READER_REPORTS,
    }
)


class SignalSource(models.Model):
    newsroom = models.ForeignKey(
        "newsroom.Newsroom", on_delete=models.CASCADE, related_name="signal_sources"
    )
    name = models.CharField(max_length=120, help_text="Shown to editors and in attributions.")
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    url = models.URLField(
        max_length=1000,
        blank=True,
        help_text="Status page base URL (or its summary.json), feed URL, probe URL "
        "or report series URL.",
    )
    # Per-kind options; see services.SOURCE_OPTIONS for the keys each kind reads.
    options = models.JSONField(default=dict, blank=True)
    interval_seconds = models.PositiveIntegerField(
        default=DEFAULT_INTERVAL_SECONDS, validators=[MinValueValidator(MIN_INTERVAL_SECONDS)]
    )
    enabled = models.BooleanField(default=True)
    webhook_token = models.CharField(max_length=64, unique=True, default=new_webhook_token)

    # What the parser remembers between polls (snapshot, seen entries, counters).
    state = models.JSONField(null=True, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    # Health.
    next_poll_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # Set once the editors were told it is failing; cleared when it recovers.
    failure_notified = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["newsroom", "name"]
        indexes = [models.Index(fields=["enabled", "next_poll_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interval_seconds__gte=MIN_INTERVAL_SECONDS),
                name="source_interval_at_least_minimum",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def is_healthy(self) -> bool:
        return self.consecutive_failures == 0

    @property
    def is_polled(self) -> bool:
        return self.kind in POLLED_KINDS


class ArticleWatch(models.Model):
    """A live article watching a source: its changes become suggestions there."""

    article = models.ForeignKey(
        "liveblog.LiveArticle", on_delete=models.CASCADE, related_name="signal_watches"
    )
    source = models.ForeignKey(SignalSource, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "source"], name="watch_one_per_pair")
        ]


class Signal(models.Model):
    """One normalised change; stored once per source whatever path brought it."""

    source = models.ForeignKey(SignalSource, on_delete=models.CASCADE, related_name="signals")
    fingerprint = models.CharField(max_length=255)
    kind = models.CharField(max_length=32)
    severity = models.CharField(max_length=10)
    occurred_at = models.DateTimeField()
    title = models.CharField(max_length=500)
    detail = models.JSONField(default=dict)
    url = models.URLField(max_length=1000, blank=True)
    group_key = models.CharField(max_length=255)
    # "poll" or "webhook": which path stored it first.
    received_via = models.CharField(max_length=10, default="poll")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at"]
        constraints = [
            # Per source, not global: two newsrooms watching the same status page
            # each get their own signal.  This constraint IS the dedup.
            models.UniqueConstraint(
                fields=["source", "fingerprint"], name="signal_unique_fingerprint"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SuggestionState(models.TextChoices):
    PENDING = "pending", "Pending"
    PUBLISHED = "published", "Published"
    DISMISSED = "dismissed", "Dismissed"


class Suggestion(models.Model):
    """A drafted update for one article; related signals are merged into it."""

    article = models.ForeignKey(
        "liveblog.LiveArticle", on_delete=models.CASCADE, related_name="suggestions"
    )
    source = models.ForeignKey(SignalSource, on_delete=models.CASCADE, related_name="suggestions")
    group_key = models.CharField(max_length=255)
    signals = models.ManyToManyField(Signal, related_name="suggestions")
    title = models.CharField(max_length=500)
    body = models.TextField()
    severity = models.CharField(max_length=10)
    url = models.URLField(max_length=1000, blank=True)
    state = models.CharField(
        max_length=10, choices=SuggestionState.choices, default=SuggestionState.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    published_update = models.ForeignKey(
        "liveblog.Update", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["article", "state", "-updated_at"])]

    def __str__(self) -> str:
        return self.title


class ArticleSignalSettings(models.Model):
    """Per-article signal options that the liveblog models know nothing about."""

    article = models.OneToOneField(
        "liveblog.LiveArticle", on_delete=models.CASCADE, related_name="signal_settings"
    )
    # Show readers the "Having problems too?" button.
    reader_reports_enabled = models.BooleanField(default=False)
    reader_reports_source = models.ForeignKey(
        SignalSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class ReaderReport(models.Model):
    """One reader saying "I have problems too" (counted, never shown)."""

    source = models.ForeignKey(SignalSource, on_delete=models.CASCADE, related_name="reader_reports")
    article = models.ForeignKey(
        "liveblog.LiveArticle", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
